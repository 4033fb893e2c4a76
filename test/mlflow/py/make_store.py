"""Writes a real MLflow store with MLflow's own client, then prints what that
client reads back from it, as JSON, for the import tests to compare with.

usage: make_store.py sqlite|files DIR    (write a store, then read it)
       make_store.py postgresql://... DIR  (the same into MLflow's store on PostgreSQL)
       make_store.py read DIR              (read an mlruns/ folder only)
"""
import json
import math
import os
import sys
import tempfile
import time

kind, out = sys.argv[1], os.path.abspath(sys.argv[2])
os.makedirs(out, exist_ok=True)
os.chdir(out)
if kind in ("files", "read"):
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    uri = "file:" + (out if kind == "read" else os.path.join(out, "mlruns"))
elif kind.startswith("postgresql://"):
    # MLflow's SQL store on PostgreSQL; SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3
    uri = kind.replace("postgresql://", "postgresql+psycopg2://", 1)
else:
    uri = "sqlite:///" + os.path.join(out, "mlflow.db")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag  # noqa: E402

mlflow.set_tracking_uri(uri)
client = MlflowClient(uri)



def write_store():
    exp = client.create_experiment("vision", tags={"team": "cv", "uni": "ünï"})
    gone = client.create_experiment("gone")
    mlflow.set_experiment(experiment_id=exp)

    LONG = "p" * 6000
    art = os.path.join(tempfile.mkdtemp(), "weights.txt")
    with open(art, "w") as f:
        f.write("w" * 100)

    with mlflow.start_run(run_name="parent") as parent:
        mlflow.log_params({"lr": "0.01", "one": "1.0", "big": "12345678901234567890", "pad": " 5 ", "flag": "true", "uni": "héllo 🌍", "long": LONG})
        t0 = 1_700_000_000_000
        client.log_batch(
            parent.info.run_id,
            metrics=[
                Metric("train/loss", 0.5, t0 + 3, 3),
                Metric("train/loss", 0.9, t0 + 1, 1),  # out of order
                Metric("train/loss", 0.7, t0 + 2, 2),
                Metric("train/loss", 0.6, t0 + 4, 2),  # repeated step
                Metric("odd", float("nan"), t0, 0),
                Metric("odd", float("inf"), t0, 1),
                Metric("odd", float("-inf"), t0, 2),
                Metric("zero", -0.0, t0, 0),
            ],
        )
        mlflow.log_artifact(art, artifact_path="model")
        ds = Dataset(name="iris", digest="abc123", source_type="local", source='{"uri": "/data/iris.csv"}', schema='{"cols": 4}')
        client.log_inputs(parent.info.run_id, [DatasetInput(ds, [InputTag("mlflow.data.context", "train")])])
        with mlflow.start_run(run_name="child", nested=True) as child:
            mlflow.log_metric("acc", 0.8, step=0)

    for status in ["FAILED", "KILLED"]:
        r = client.create_run(exp, run_name=status.lower())
        client.log_metric(r.info.run_id, "acc", 0.1, step=0)
        client.set_terminated(r.info.run_id, status)
    running = client.create_run(exp, run_name="still running")
    client.log_param(running.info.run_id, "x", "1")
    # two runs with the same long name, and a tab
    same = "same name " + "n" * 240
    for _ in range(2):
        r = client.create_run(exp, run_name=same)
        client.set_terminated(r.info.run_id)
    tab = client.create_run(exp, run_name="tab\there")
    client.set_terminated(tab.info.run_id)
    deleted = client.create_run(exp, run_name="deleted run")
    client.set_terminated(deleted.info.run_id)
    client.delete_run(deleted.info.run_id)
    g = client.create_run(gone, run_name="in gone")
    client.log_metric(g.info.run_id, "m", 1.0)
    client.set_terminated(g.info.run_id)
    client.delete_experiment(gone)


if kind != "read":
    write_store()


def num(v):
    return str(v) if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v


result = {"experiments": [], "runs": []}
for e in client.search_experiments(view_type=3):
    result["experiments"].append(
        {"id": e.experiment_id, "name": e.name, "lifecycle_stage": e.lifecycle_stage, "creation_time": e.creation_time, "tags": e.tags}
    )
    for r in client.search_runs([e.experiment_id], run_view_type=3, max_results=1000):
        hist = {}
        for key in r.data.metrics:
            hist[key] = [[m.step, num(m.value), m.timestamp] for m in client.get_metric_history(r.info.run_id, key)]
        result["runs"].append(
            {
                "run_id": r.info.run_id,
                "experiment": e.name,
                "run_name": r.info.run_name,
                "status": r.info.status,
                "lifecycle_stage": r.info.lifecycle_stage,
                "start_time": r.info.start_time,
                "end_time": r.info.end_time,
                "user_id": r.info.user_id,
                "artifact_uri": r.info.artifact_uri,
                "params": r.data.params,
                "tags": r.data.tags,
                "history": hist,
                "datasets": [d.dataset.name for d in (r.inputs.dataset_inputs if r.inputs else [])],
            }
        )
print(json.dumps(result))
