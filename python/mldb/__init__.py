"""mldb: a model database in one SQLite file, shared with the TypeScript API,
the ``mldb`` command and the dashboard.

Example::

    from mldb import Database

    with Database() as db:
        db.set_exp_status(expname, 'TRAINING')
        db.add_loss_value(expname, 'train', epoch, loss)
        db.add_metric_value(expname, 'rmse', epoch, rmse)
"""

from .config import CONFIG, config_file_path, resolve_db_path
from .database import LOST_AFTER_MS, Database
from .direction import configured_directions, series_direction
from .errors import (
    ConfigError,
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    DatabaseIoError,
    DiskFullError,
    FilterSyntaxError,
    MldbError,
    NotFoundError,
    ReadOnlyDatabaseError,
    SchemaVersionError,
    SqliteFailure,
    ValidationError,
)
from .remote import ServerUnreachableError
from .exp_name import exp_name
from .files import FILE_KINDS
from .media import artifact_dir, encode_png
from .migrations import latest_version as schema_version
from .run import Run
from .sweep import Sweep, Trial

__version__ = "0.1.0"

__all__ = [
    "CONFIG",
    "FILE_KINDS",
    "LOST_AFTER_MS",
    "ConfigError",
    "CorruptDatabaseError",
    "Database",
    "DatabaseBusyError",
    "DatabaseError",
    "DatabaseIoError",
    "DiskFullError",
    "FilterSyntaxError",
    "MldbError",
    "NotFoundError",
    "ReadOnlyDatabaseError",
    "Run",
    "SchemaVersionError",
    "ServerUnreachableError",
    "SqliteFailure",
    "Sweep",
    "Trial",
    "ValidationError",
    "artifact_dir",
    "config_file_path",
    "configured_directions",
    "encode_png",
    "exp_name",
    "resolve_db_path",
    "schema_version",
    "series_direction",
]
