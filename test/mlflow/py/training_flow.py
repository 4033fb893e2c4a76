"""A whole training flow with MLflow's official client against MLFLOW_TRACKING_URI
(an mldb server). Asserts what the client reads back; prints ids as JSON."""
import json
import math
import os
import sys
import tempfile

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

client = MlflowClient()
exp_id = mlflow.set_experiment("mlflow-flow").experiment_id
assert mlflow.set_experiment("mlflow-flow").experiment_id == exp_id  # found, not created twice

PARAMS = {"lr": "0.01", "one": "1.0", "big": "12345678901234567890", "pad": " 5 ", "flag": "true", "uni": "héllo 🌍", "long": "x" * 6000}
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, "hello.txt"), "w") as f:
    f.write("hello artifact\n")

with mlflow.start_run(run_name="good") as run:
    good = run.info.run_id
    mlflow.log_params(PARAMS)
    for step in [0, 1, 2, 3, 4]:
        mlflow.log_metric("train/loss", 1.0 / (step + 1), step=step)
    mlflow.log_metric("train/loss", 0.1, step=2)  # a repeated step
    mlflow.log_metric("odd", float("nan"), step=0)
    mlflow.log_metric("odd", float("inf"), step=1)
    mlflow.log_metric("odd", float("-inf"), step=2)
    mlflow.log_metrics({"acc": 0.9}, step=4)
    mlflow.set_tag("team", "vision")
    mlflow.set_tag("drop", "me")
    client.delete_tag(good, "drop")
    mlflow.log_artifact(os.path.join(tmp, "hello.txt"), artifact_path="plots")
    with mlflow.start_run(run_name="child", nested=True) as child:
        mlflow.log_metric("acc", 0.95, step=0)
        child_id = child.info.run_id

try:
    with mlflow.start_run(run_name="bad"):
        mlflow.log_param("lr", "0.1")
        mlflow.log_metric("acc", 0.5)
        raise ValueError("boom")
except ValueError:
    pass

r = client.get_run(good)
assert r.info.status == "FINISHED", r.info.status
assert r.info.run_name == "good"
assert r.data.params == PARAMS, r.data.params
assert r.data.tags["team"] == "vision" and "drop" not in r.data.tags
assert r.data.metrics["acc"] == 0.9
assert math.isinf(r.data.metrics["odd"]) and r.data.metrics["odd"] < 0

hist = client.get_metric_history(good, "train/loss")
assert [(m.step, m.value) for m in hist] == [(0, 1.0), (1, 0.5), (2, 1.0 / 3), (2, 0.1), (3, 0.25), (4, 0.2)], hist
odd = [m.value for m in client.get_metric_history(good, "odd")]
assert math.isnan(odd[0]) and odd[1] == float("inf") and odd[2] == float("-inf"), odd

c = client.get_run(child_id)
assert c.data.tags["mlflow.parentRunId"] == good

runs = client.search_runs([exp_id], filter_string="metrics.acc > 0.7", order_by=["metrics.acc DESC"])
assert [x.info.run_name for x in runs] == ["child", "good"], [x.info.run_name for x in runs]
runs = client.search_runs([exp_id], filter_string="params.lr = '0.1' and attributes.status = 'FAILED'")
assert [x.info.run_name for x in runs] == ["bad"]
page1 = client.search_runs([exp_id], max_results=2, order_by=["attributes.run_name ASC"])
assert [x.info.run_name for x in page1] == ["bad", "child"] and page1.token
page2 = client.search_runs([exp_id], max_results=2, order_by=["attributes.run_name ASC"], page_token=page1.token)
assert [x.info.run_name for x in page2] == ["good"] and not page2.token

arts = client.list_artifacts(good, "plots")
assert [(a.path, a.is_dir, a.file_size) for a in arts] == [("plots/hello.txt", False, 15)], arts
local = client.download_artifacts(good, "plots/hello.txt", tempfile.mkdtemp())
assert open(local).read() == "hello artifact\n"

# an MLflow 3 logged model of the good run, its files through the artifact proxy
from mlflow.entities import LoggedModelStatus  # noqa: E402

lm = client.create_logged_model(exp_id, name="clf", source_run_id=good, params={"depth": "3"}, tags={"stage": "dev"})
model_dir = tempfile.mkdtemp()
with open(os.path.join(model_dir, "MLmodel"), "w") as f:
    f.write("flavors: {}\n")
client.log_model_artifacts(lm.model_id, model_dir)
client.finalize_logged_model(lm.model_id, LoggedModelStatus.READY)
got = client.get_logged_model(lm.model_id)
assert got.status == LoggedModelStatus.READY and got.params == {"depth": "3"} and got.tags == {"stage": "dev"}, got
assert got.source_run_id == good and got.name == "clf"
assert [m.model_id for m in client.search_logged_models([exp_id])] == [lm.model_id]
assert [a.path for a in client.list_logged_model_artifacts(lm.model_id)] == ["MLmodel"]

try:
    client.get_run("0123456789abcdef0123456789abcdef")
    raise AssertionError("no error")
except MlflowException as e:
    assert e.error_code == "RESOURCE_DOES_NOT_EXIST", e.error_code
try:
    client.log_param(good, "lr", "0.5")
    raise AssertionError("no error")
except MlflowException as e:
    assert e.error_code == "INVALID_PARAMETER_VALUE", e.error_code
try:
    client.create_experiment("mlflow-flow")
    raise AssertionError("no error")
except MlflowException as e:
    assert e.error_code == "RESOURCE_ALREADY_EXISTS", e.error_code

client.delete_run(child_id)
assert [x.info.run_name for x in client.search_runs([exp_id], order_by=["attributes.run_name"])] == ["bad", "good"]
client.restore_run(child_id)

print(json.dumps({"experiment_id": exp_id, "good": good, "child": child_id}))
