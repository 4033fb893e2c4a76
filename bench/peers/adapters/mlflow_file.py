"""MLflow (mlflow-skinny) through MlflowClient on its file store (`file:` URI).
MLflow 3 refuses the file store unless MLFLOW_ALLOW_FILE_STORE=true, its documented opt-in."""

import os

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
import mlflow  # noqa: E402
from mlflow.entities import Metric, Param, RunTag  # noqa: E402

URI = "file://%s"
_client = {}


def setup(folder):
    pass


def _uri(folder):
    return URI % os.path.join(folder, "mlruns") if URI.startswith("file") else URI % os.path.join(folder, "mlflow.db")


def client(folder):
    if folder not in _client:
        c = mlflow.MlflowClient(tracking_uri=_uri(folder))
        e = c.get_experiment_by_name("bench")
        eid = e.experiment_id if e else _create(c)
        _client[folder] = (c, eid)
    return _client[folder]


def _create(c):
    try:
        return c.create_experiment("bench")
    except mlflow.exceptions.MlflowException:  # another of the 16 writers made it first
        return c.get_experiment_by_name("bench").experiment_id


def open_run(folder, name, params):
    c, eid = client(folder)
    r = c.create_run(eid, run_name=name)
    for k, v in params.items():
        c.log_param(r.info.run_id, k, v)
    return (c, r.info.run_id)


def log(run, name, step, value):
    run[0].log_metric(run[1], name, value, step=step)


def log_batch(run, points):
    ts = mlflow.utils.time.get_current_time_millis()
    run[0].log_batch(run[1], metrics=[Metric(n, v, ts, s) for n, s, v in points])


def finish(run):
    run[0].set_terminated(run[1])


def _all_runs(folder, filter_string=""):
    c, eid = client(folder)
    out, token = [], None
    while True:
        page = c.search_runs([eid], filter_string=filter_string, max_results=50000, page_token=token)
        out.extend(page)
        token = page.token
        if not token:
            return out


def count_points(folder):
    c, _ = client(folder)
    return sum(len(c.get_metric_history(r.info.run_id, k)) for r in _all_runs(folder) for k in r.data.metrics)


def fill_runs(folder, indices, run_params, run_metrics):
    c, eid = client(folder)
    ts = mlflow.utils.time.get_current_time_millis()
    for i in indices:
        r = c.create_run(eid, run_name="run_%05d" % i)
        c.log_batch(
            r.info.run_id,
            metrics=[Metric(m, v, ts, s) for m, s, v in run_metrics(i)],
            params=[Param(k, str(v)) for k, v in run_params(i).items()],
            tags=[RunTag("kind", "sweep")],
        )
        c.set_terminated(r.info.run_id)


def list_runs(folder):
    runs = _all_runs(folder)
    assert all(len(r.data.metrics) == 5 for r in runs)
    return {"runs": len(runs), "how": "MlflowClient.search_runs (pages of 50,000)"}


def filter_runs(folder, f):
    q = "params.%s = '%s' and metrics.%s < %r" % (f["param"], f["equals"], f["metric"], f["below"])
    return {"runs": len(_all_runs(folder, q)), "how": "search_runs(filter_string=...)"}


def read_series(folder, run, name):
    c, eid = client(folder)
    r = c.search_runs([eid], filter_string="attributes.run_name = '%s'" % run)[0]
    return [m.value for m in c.get_metric_history(r.info.run_id, name)]
