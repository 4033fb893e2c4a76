"""MLflow through MlflowClient on its SQLite store (`sqlite:` URI, SQLAlchemy), the backend MLflow 3 recommends."""

import mlflow_file
from mlflow_file import *  # noqa: F403 - same calls, another store

mlflow_file.URI = "sqlite:///%s"
