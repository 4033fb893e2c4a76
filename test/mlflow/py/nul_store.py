"""Writes a real MLflow store whose experiment names and logged model params and tags
hold text mldb refuses (U+0000, a newline in a name), with MLflow's own client, and
prints the ids it made as JSON, for test/mlflow/import-nul-names.test.ts.

usage: nul_store.py sqlite|files DIR
"""
import json
import os
import sys

kind, out = sys.argv[1], os.path.abspath(sys.argv[2])
os.makedirs(out, exist_ok=True)
os.chdir(out)
if kind == "files":
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    uri = "file:" + os.path.join(out, "mlruns")
else:
    uri = "sqlite:///" + os.path.join(out, "mlflow.db")

from mlflow import MlflowClient  # noqa: E402

client = MlflowClient(uri)
ids = {"experiments": {}, "runs": {}}
# "a b" is also what "a\0b" reads as with its NUL replaced: the two must stay apart
for exp_name, run_name in [("a b", "in clean"), ("a\x00b", "in nul"), ("new\nline", "in newline"), ("\x00", "in bare nul")]:
    exp = client.create_experiment(exp_name)
    run = client.create_run(exp, run_name=run_name)
    client.log_param(run.info.run_id, "lr", "0.1")
    client.log_metric(run.info.run_id, "loss", 0.5, step=0)
    client.set_terminated(run.info.run_id)
    ids["experiments"][exp_name] = exp
    ids["runs"][run_name] = run.info.run_id

exp = client.create_experiment("models")
src = client.create_run(exp, run_name="source")
params = {"alpha": "0.5", "opt": "ad\x00am"}
tags = {"kind": "toy", "team": "vi\x00sion"}
if kind == "sqlite":
    # MLflow's file store checks a logged model's param and tag names; its SQL store does not
    params["k\x00"] = "v"
    tags["t\x00"] = "x"
model = client.create_logged_model(exp, name="clf", source_run_id=src.info.run_id, params=params, tags=tags, model_type="toy")
client.finalize_logged_model(model.model_id, "READY")
client.set_terminated(src.info.run_id)
ids["model_id"] = model.model_id
ids["runs"]["source"] = src.info.run_id
print(json.dumps(ids))
