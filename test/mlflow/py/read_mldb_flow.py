"""MLflow's official client reads what an mldb client logged on the server
(MLFLOW_TRACKING_URI): the project is an MLflow experiment, the experiment a
run with its params, tags and metric history. argv: project, experiment name.
Prints what it read as JSON."""
import json
import math
import sys

import mlflow
from mlflow import MlflowClient

project, name = sys.argv[1], sys.argv[2]
client = MlflowClient()
exp = client.get_experiment_by_name(project)
assert exp is not None, f"no experiment {project}"
runs = client.search_runs([exp.experiment_id], filter_string=f"attributes.run_name = '{name}'")
assert len(runs) == 1, runs
run = runs[0]
got = client.get_run(run.info.run_id)  # its run id addresses it
hist = client.get_metric_history(run.info.run_id, "train/loss")
print(
    json.dumps(
        {
            "experiment_id": exp.experiment_id,
            "run_id": got.info.run_id,
            "status": got.info.status,
            "params": got.data.params,
            "tags": {k: v for k, v in got.data.tags.items() if not k.startswith("mlflow.")},
            "history": [[m.step, None if math.isnan(m.value) else m.value] for m in hist],
        }
    )
)
