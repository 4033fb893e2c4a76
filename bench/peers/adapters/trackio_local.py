"""trackio, local only: TRACKIO_DIR inside the benchmark's folder, no Space, no
Hub. trackio.init/log/finish write; reading goes through trackio.SQLiteStorage
(exported by the package; the dashboard's own reader), as trackio's public
Api() gives runs and configs but no metrics."""

import os

os.environ["TRACKIO_DIR"] = os.path.join(os.environ["BENCH_PEER_DIR"], "trackio")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import trackio  # noqa: E402
from trackio import SQLiteStorage  # noqa: E402

PROJECT = "bench"


def setup(folder):
    pass


def open_run(folder, name, params):
    return trackio.init(project=PROJECT, name=name, config=params or None)


def log(run, name, step, value):
    trackio.log({name: value}, step=step)


def log_batch(run, points):
    # trackio's batch is one dict of metrics per step
    by_step = {}
    for n, s, v in points:
        by_step.setdefault(s, {})[n] = v
    for s, d in by_step.items():
        trackio.log(d, step=s)


def finish(run):
    trackio.finish()


def count_points(folder):
    return sum(sum(len([k for k in row if k not in ("step", "timestamp")]) for row in SQLiteStorage.get_logs(PROJECT, r))
               for r in SQLiteStorage.get_runs(PROJECT))


def fill_runs(folder, indices, run_params, run_metrics):
    for i in indices:
        trackio.init(project=PROJECT, name="run_%05d" % i, config=run_params(i))
        by_step = {}
        for m, s, v in run_metrics(i):
            by_step.setdefault(s, {})[m] = v
        for s, d in by_step.items():
            trackio.log(d, step=s)
        trackio.finish()


def _runs_with_last():
    out = []
    for run in trackio.Api().runs(PROJECT):  # public: names and configs
        last = {}
        for row in SQLiteStorage.get_logs(PROJECT, run.name):
            last.update(row)
        out.append((run.config or {}, last))
    return out


def list_runs(folder):
    return {"runs": len(_runs_with_last()), "how": "trackio.Api().runs() configs + SQLiteStorage.get_logs per run"}


def filter_runs(folder, f):
    n = sum(1 for c, last in _runs_with_last() if c.get(f["param"]) == f["equals"] and last.get(f["metric"], 1e9) < f["below"])
    return {"runs": n, "how": "listing filtered in Python (no query call)"}


def read_series(folder, run, name):
    return [r["value"] for r in SQLiteStorage.get_metric_values(PROJECT, run, name)]
