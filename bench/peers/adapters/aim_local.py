"""Aim 3 on a local repository (aim.Run(repo=...), RocksDB inside). Params are
run["hparams"]; listing and filtering use Repo.query_runs with Aim's query language.
Aim's readers see a run once its indexer (what `aim up` runs in the background)
has indexed it: prepare_read does that, untimed, before every read."""

import os

from aim import Repo, Run

_runs = {}


def setup(folder):
    pass


def _repo(folder):
    return os.path.join(folder, "aim")


def open_run(folder, name, params):
    os.makedirs(_repo(folder), exist_ok=True)
    run = Run(repo=_repo(folder), experiment="bench", system_tracking_interval=None, log_system_params=False)
    run.name = name
    if params:
        run["hparams"] = params
    return run


def log(run, name, step, value):
    run.track(value, name=name, step=step)


def log_batch(run, points):
    # Aim's batch: one track() of a dict of metrics per step
    by_step = {}
    for n, s, v in points:
        by_step.setdefault(s, {})[n] = v
    for s, d in by_step.items():
        run.track(d, step=s)


def finish(run):
    run.close()


def prepare_read(folder):
    from aim.sdk.index_manager import RepoIndexManager

    os.makedirs(_repo(folder), exist_ok=True)
    repo = Repo.from_path(_repo(folder), init=True)
    manager = RepoIndexManager.get_index_manager(repo)
    for h in repo.list_all_runs():
        manager.index(h)


def _runs(folder):
    return [rc.run for rc in Repo.from_path(_repo(folder)).query_runs("", report_mode=0).iter_runs()]


def count_points(folder):
    prepare_read(folder)
    n = 0
    for run in _runs(folder):
        for m in run.metrics():
            n += len(m.values.values_list())
    return n


def fill_runs(folder, indices, run_params, run_metrics):
    for i in indices:
        run = open_run(folder, "run_%05d" % i, run_params(i))
        log_batch(run, run_metrics(i))
        run.close()


def list_runs(folder):
    n = 0
    for rc in Repo.from_path(_repo(folder)).query_runs("", report_mode=0).iter_runs():
        hp = rc.run["hparams"]
        last = {m.name: m.values.last_value() for m in rc.run.metrics()}
        assert hp and len(last) == 5
        n += 1
    return {"runs": n, "how": "Repo.query_runs('') with run['hparams'] and each metric's last value"}


def filter_runs(folder, f):
    q = "run.hparams.%s == '%s' and run.metrics['%s'].last < %r" % (f["param"], f["equals"], f["metric"], f["below"])
    n = sum(1 for _ in Repo.from_path(_repo(folder)).query_runs(q, report_mode=0).iter_runs())
    return {"runs": n, "how": "Repo.query_runs(query)"}


def read_series(folder, run, name):
    for r in _runs(folder):
        if r.name == run:
            for m in r.metrics():
                if m.name == name:
                    return m.values.values_list()
    return []
