"""Writes a real MLflow store with MLflow's own client, then prints what that
client reads back from it, as JSON, for the import tests to compare with.

usage: make_store.py sqlite|files DIR    (write a store, then read it)
       make_store.py postgresql://... DIR  (the same into MLflow's store on PostgreSQL)
       make_store.py read DIR              (read an mlruns/ folder only)
       make_store.py models URI DIR        (read only the logged models and the registry at a tracking URI, e.g. mldb's server)
"""
import json
import math
import os
import sys
import tempfile
import time

kind, out = sys.argv[1], os.path.abspath(sys.argv[-1])
os.makedirs(out, exist_ok=True)
os.chdir(out)
if kind == "models":
    uri = sys.argv[2]
elif kind in ("files", "read"):
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    uri = "file:" + (out if kind == "read" else os.path.join(out, "mlruns"))
elif kind.startswith("postgresql://"):
    # MLflow's SQL store on PostgreSQL; SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3
    uri = kind.replace("postgresql://", "postgresql+psycopg2://", 1)
else:
    uri = "sqlite:///" + os.path.join(out, "mlflow.db")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Dataset, DatasetInput, InputTag, LoggedModelOutput, Metric, Param, RunTag  # noqa: E402

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
    # an MLflow 3 logged model of the parent run (what mlflow.<flavor>.log_model does, without the flavor's
    # dependencies: mlflow-skinny has no numpy), registered, with tags, a description and an alias
    model = client.create_logged_model(exp, name="clf", source_run_id=parent.info.run_id, params={"alpha": "0.5"}, tags={"kind": "toy"}, model_type="toy")
    files = tempfile.mkdtemp()
    with open(os.path.join(files, "MLmodel"), "w") as f:
        f.write("artifact_path: clf\nflavors: {}\n")
    with open(os.path.join(files, "model.pkl"), "wb") as f:
        f.write(b"m" * 64)
    client.log_model_artifacts(model.model_id, files)
    client.finalize_logged_model(model.model_id, "READY")
    client.log_outputs(parent.info.run_id, [LoggedModelOutput(model.model_id, 0)])
    mlflow.register_model(f"models:/{model.model_id}", "iris-clf", tags={"stage": "dev"})
    client.set_registered_model_alias("iris-clf", "champion", "1")
    client.set_registered_model_tag("iris-clf", "team", "cv")
    client.update_registered_model("iris-clf", "the iris classifier")
    # a version whose files are elsewhere (left out by mldb's import, with a line saying why)
    client.create_model_version("iris-clf", "s3://bucket/elsewhere/model", tags={"where": "s3"})
    # an MLflow 2-style version: a folder of the run's artifacts
    client.create_model_version("iris-clf", f"{parent.info.artifact_uri}/model", run_id=parent.info.run_id, description="weights")
    client.set_registered_model_alias("iris-clf", "latest-weights", "3")
    client.set_registered_model_alias("iris-clf", "elsewhere", "2")
    # a name MLflow takes and mldb refuses (a space)
    client.create_registered_model("has space")
    client.create_model_version("has space", f"runs:/{parent.info.run_id}/model")

    g = client.create_run(gone, run_name="in gone")
    client.log_metric(g.info.run_id, "m", 1.0)
    client.set_terminated(g.info.run_id)
    client.delete_experiment(gone)


if kind not in ("read", "models"):
    write_store()


def num(v):
    return str(v) if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v


def read_models():
    """The logged models of the live experiments and the whole registry, as MLflow's client reads them."""
    exps = {e.experiment_id: e.name for e in client.search_experiments()}
    logged = []
    if exps:
        for m in client.search_logged_models(experiment_ids=list(exps)):
            got = client.get_logged_model(m.model_id)
            logged.append(
                {
                    "model_id": got.model_id,
                    "name": got.name,
                    "experiment": exps.get(got.experiment_id),
                    "source_run_id": got.source_run_id,
                    "status": str(got.status),
                    "model_type": got.model_type,
                    "params": got.params,
                    "tags": got.tags,
                    "artifact_location": got.artifact_location,
                    "creation_timestamp": got.creation_timestamp,
                }
            )
    registered = []
    for rm in client.search_registered_models():
        versions = []
        for found in sorted(client.search_model_versions(f"name='{rm.name}'"), key=lambda v: int(v.version)):
            v = client.get_model_version(rm.name, found.version)
            versions.append(
                {
                    "version": str(v.version),
                    "source": v.source,
                    "run_id": v.run_id or None,
                    "tags": v.tags,
                    "aliases": sorted(v.aliases),
                    "description": v.description or "",
                    "creation_timestamp": v.creation_timestamp,
                    "user_id": v.user_id or "",
                    "status": v.status,
                    "download_uri": client.get_model_version_download_uri(rm.name, v.version),
                }
            )
        got = client.get_registered_model(rm.name)
        registered.append(
            {
                "name": got.name,
                "description": got.description or "",
                "tags": got.tags,
                "aliases": {a: str(v) for a, v in got.aliases.items()},  # ints from a SQL store, text over REST
                "creation_timestamp": got.creation_timestamp,
                "versions": versions,
                "by_alias": {a: str(client.get_model_version_by_alias(got.name, a).version) for a in got.aliases},
            }
        )
    return {"logged_models": logged, "registered_models": registered}


if kind == "models":
    print(json.dumps(read_models()))
    sys.exit(0)

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
                "outputs": [[m.model_id, m.step] for m in (r.outputs.model_outputs if r.outputs else [])],
            }
        )
result["models"] = read_models() if kind != "read" else None
print(json.dumps(result))
