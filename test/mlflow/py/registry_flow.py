"""MLflow's model registry with the official client against MLFLOW_TRACKING_URI
(an mldb server): registered models, versions from a run's artifacts and from
an MLflow 3 logged model, aliases, tags, search, download by alias, deletes.
Asserts what the client reads back; prints ids as JSON."""
import json
import os
import tempfile

import mlflow
from mlflow import MlflowClient
from mlflow.entities import LoggedModelStatus
from mlflow.exceptions import MlflowException

client = MlflowClient()
NAME = "iris-clf"


def error_code(fn):
    try:
        fn()
    except MlflowException as e:
        return e.error_code
    raise AssertionError("no error")


rm = client.create_registered_model(NAME, tags={"team": "vision"}, description="iris classifier")
assert rm.name == NAME and rm.tags == {"team": "vision"} and rm.description == "iris classifier", rm
assert error_code(lambda: client.create_registered_model(NAME)) == "RESOURCE_ALREADY_EXISTS"
assert error_code(lambda: client.get_registered_model("nope")) == "RESOURCE_DOES_NOT_EXIST"

exp_id = mlflow.set_experiment("registry").experiment_id
model_dir = tempfile.mkdtemp()
with open(os.path.join(model_dir, "MLmodel"), "w") as f:
    f.write("flavors: {}\n")
with open(os.path.join(model_dir, "model.pkl"), "wb") as f:
    f.write(b"weights")
with mlflow.start_run(run_name="trainer") as run:
    rid = run.info.run_id
    mlflow.log_param("lr", "0.01")
    mlflow.log_metric("valid/acc", 0.93, step=3)
    mlflow.log_artifacts(model_dir, artifact_path="model")

# a version from the run's artifacts, with tags and a description
mv1 = client.create_model_version(NAME, f"{run.info.artifact_uri}/model", run_id=rid, tags={"stage": "dev"}, description="first")
assert (mv1.version, mv1.run_id, mv1.status, mv1.tags, mv1.description) == ("1", rid, "READY", {"stage": "dev"}, "first"), mv1
client.set_registered_model_alias(NAME, "champion", mv1.version)
by_alias = client.get_model_version_by_alias(NAME, "champion")
assert by_alias.version == "1" and by_alias.aliases == ["champion"] and by_alias.run_id == rid, by_alias

# mlflow.register_model on an existing name adds a version (runs:/ URI)
mv2 = mlflow.register_model(f"runs:/{rid}/model", NAME)
assert mv2.version == "2", mv2

# an MLflow 3 logged model registered by models:/<id>
lm = client.create_logged_model(exp_id, name="clf", source_run_id=rid)
client.log_model_artifacts(lm.model_id, model_dir)
client.finalize_logged_model(lm.model_id, LoggedModelStatus.READY)
mv3 = mlflow.register_model(f"models:/{lm.model_id}", NAME)
assert mv3.version == "3" and mv3.source == f"models:/{lm.model_id}", mv3

assert [v.version for v in client.get_latest_versions(NAME)] == ["3"]
found = client.search_registered_models(filter_string="name LIKE 'iris%'")
assert [m.name for m in found] == [NAME], found
assert sorted(v.version for v in client.search_model_versions(f"name='{NAME}'")) == ["1", "2", "3"]
assert [v.version for v in client.search_model_versions(f"run_id='{rid}' and name='{NAME}'", order_by=["version_number ASC"])] == ["1", "2", "3"]

client.update_model_version(NAME, "1", description="the first one")
client.set_model_version_tag(NAME, "1", "validated", "yes")
client.delete_model_version_tag(NAME, "1", "stage")
got = client.get_model_version(NAME, "1")
assert got.description == "the first one" and got.tags == {"validated": "yes"}, got
client.update_registered_model(NAME, description="iris, v2")
client.set_registered_model_tag(NAME, "owner", "ml")
client.delete_registered_model_tag(NAME, "team")
got = client.get_registered_model(NAME)
assert got.description == "iris, v2" and got.tags == {"owner": "ml"} and got.aliases == {"champion": "1"}, got
assert [v.version for v in got.latest_versions] == ["3"]

# the model's files come back by alias through the artifact proxy
local = mlflow.artifacts.download_artifacts(f"models:/{NAME}@champion", dst_path=tempfile.mkdtemp())
assert {"MLmodel", "model.pkl"} <= set(os.listdir(local)), os.listdir(local)  # MLflow adds registered_model_meta
assert open(os.path.join(local, "model.pkl"), "rb").read() == b"weights"

client.set_registered_model_alias(NAME, "prod", "3")
client.delete_registered_model_alias(NAME, "champion")
assert error_code(lambda: client.get_model_version_by_alias(NAME, "champion")) == "RESOURCE_DOES_NOT_EXIST"
client.delete_model_version(NAME, "2")
assert error_code(lambda: client.get_model_version(NAME, "2")) == "RESOURCE_DOES_NOT_EXIST"

client.create_registered_model("scratch")
client.delete_registered_model("scratch")
assert error_code(lambda: client.get_registered_model("scratch")) == "RESOURCE_DOES_NOT_EXIST"
assert error_code(lambda: client.create_registered_model("has space")) == "INVALID_PARAMETER_VALUE"

print(json.dumps({"run_id": rid, "model_id": lm.model_id}))
