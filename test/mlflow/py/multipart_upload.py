"""A large artifact with MLflow's proxy multipart upload switched on
(MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true, a low threshold): the client asks
mpu/create, is told multipart is not supported, and sends one PUT. Prints the
run id and the file's sha256 as JSON."""
import hashlib
import json
import os
import tempfile

import mlflow
from mlflow import MlflowClient

assert os.environ["MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD"] == "true"
data = os.urandom(3 * 1024 * 1024 + 17)
path = os.path.join(tempfile.mkdtemp(), "weights.bin")
with open(path, "wb") as f:
    f.write(data)
mlflow.set_experiment("multipart")
with mlflow.start_run(run_name="big-artifact") as run:
    mlflow.log_artifact(path, artifact_path="ckpt")
back = MlflowClient().download_artifacts(run.info.run_id, "ckpt/weights.bin", tempfile.mkdtemp())
assert open(back, "rb").read() == data
print(json.dumps({"run_id": run.info.run_id, "sha256": hashlib.sha256(data).hexdigest()}))
