"""Optuna 5 on its RDB storage over SQLite. A run is a trial; a trial has one
intermediate series (trial.report), so valid_loss is that series and the other
four metrics' last values are user attributes; params are the trial's params."""

import os

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)
_study = {}


def setup(folder):
    pass


def study(folder):
    if folder not in _study:
        storage = "sqlite:///%s" % os.path.join(folder, "optuna.db")
        _study[folder] = optuna.create_study(study_name="bench", storage=storage, load_if_exists=True)
    return _study[folder]


def open_run(folder, name, params):
    t = study(folder).ask()
    t.set_user_attr("name", name)
    return (study(folder), t)


def log(run, name, step, value):
    run[1].report(value, step)


def finish(run):
    run[0].tell(run[1], 0.0)


def count_points(folder):
    return sum(len(t.intermediate_values) for t in study(folder).get_trials(deepcopy=False))


DISTS = {
    "lr": FloatDistribution(1e-5, 1.0, log=True),
    "batch_size": IntDistribution(32, 256),
    "optimizer": CategoricalDistribution(["adam", "sgd"]),
    "seed": IntDistribution(0, 10**9),
}


def fill_runs(folder, indices, run_params, run_metrics):
    s = study(folder)
    trials = []
    for i in indices:
        ms = run_metrics(i)
        inter = {st: v for m, st, v in ms if m == "valid_loss"}
        last = {m: v for m, st, v in ms if st == 9}
        trials.append(
            optuna.trial.create_trial(
                params=run_params(i), distributions=DISTS, value=last["valid_loss"], intermediate_values=inter, user_attrs=last
            )
        )
    s.add_trials(trials)


def list_runs(folder):
    ts = study(folder).get_trials(deepcopy=False)
    assert all(t.params and t.user_attrs for t in ts)
    return {"runs": len(ts), "how": "study.get_trials()"}


def filter_runs(folder, f):
    # Optuna has no query language: the filter runs in Python over every trial.
    ts = study(folder).get_trials(deepcopy=False)
    n = sum(1 for t in ts if t.params.get(f["param"]) == f["equals"] and t.user_attrs.get(f["metric"], 1e9) < f["below"])
    return {"runs": n, "how": "get_trials() filtered in Python (no query language)"}


def read_series(folder, run, name):
    t = [t for t in study(folder).get_trials(deepcopy=False) if t.user_attrs.get("name") == run][0]
    return list(t.intermediate_values.values())
