"""mldb's Python client (python/mldb, from the repo) on one SQLite file."""

import os

from mldb import Database

_db = {}


def _open(folder):
    if folder not in _db:
        _db[folder] = Database(os.path.join(folder, "mldb.db"))
    return _db[folder]


def setup(folder):
    pass


def open_run(folder, name, params):
    db = _open(folder)
    db.set_exp_status(name, "TRAINING")
    if params:
        db.set_params(name, params)
    return (db, name)


def log(run, name, step, value):
    run[0].add_metric_value(run[1], name, step, value)


def log_batch(run, points):
    run[0].log_batch(run[1], [{"name": n, "step": s, "value": v} for n, s, v in points])


def finish(run):
    run[0].set_exp_status(run[1], "COMPLETE")


def close(folder):
    _db.pop(folder).close()


def count_points(folder):
    db = _open(folder)
    return sum(s["count"] for e in db.list_experiments() for s in e["series"].values())


def fill_runs(folder, indices, run_params, run_metrics):
    db = _open(folder)
    for i in indices:
        exp = "run_%05d" % i
        db.set_params(exp, run_params(i))
        db.log_batch(exp, [{"name": m, "step": s, "value": v} for m, s, v in run_metrics(i)])
        db.set_exp_status(exp, "COMPLETE")


def list_runs(folder):
    return {"runs": len(_open(folder).list_experiments()), "how": "list_experiments()"}


def filter_runs(folder, f):
    where = "params.%s = '%s' and metrics.%s < %r" % (f["param"], f["equals"], f["metric"], f["below"])
    return {"runs": len(_open(folder).list_experiments(where=where)), "how": "list_experiments(where=...)"}


def read_series(folder, run, name):
    return [p["value"] for p in _open(folder).get_metric_values(run, name)]
