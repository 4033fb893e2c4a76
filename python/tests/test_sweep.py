"""Sweeps from Python: config errors naming the key, each method and distribution,
both pruners, run caps, LOST trials, optimize(), and start_run() joining MLDB_EXP."""

import os
import subprocess
import sys

import pytest

from mldb import Database, NotFoundError, ValidationError
from mldb.sweep_config import parse_sweep_config

METRIC = {"name": "objective", "goal": "minimize"}


@pytest.fixture
def db(tmp_path):
    with Database(str(tmp_path / "m.db")) as d:
        yield d


def test_config_errors_name_the_key():
    base = {"name": "s", "metric": {"name": "loss"}, "parameters": {"x": {"min": 0.0, "max": 1.0}}}
    cases = [
        ({**base, "runcap": 3}, "runcap: unknown key"),
        ({**base, "parameters": {"x": {"min": 2.0, "max": 1.0}}}, "parameters.x.max: must be greater than min"),
        ({**base, "parameters": {"x": {"distribution": "beta"}}}, "parameters.x.distribution: unsupported"),
        ({**base, "method": "grid"}, "parameters.x: method grid needs"),
        ({**base, "early_terminate": {"type": "hyperband"}}, "early_terminate.min_iter: is missing"),
    ]
    for raw, message in cases:
        with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
            parse_sweep_config(raw)
    # Python knows ints: integer min/max mean int_uniform, as in W&B
    c = parse_sweep_config({**base, "parameters": {"n": {"min": 1, "max": 4}, "x": {"min": 0.0, "max": 1.0}}})
    assert c["parameters"] == {"n": {"distribution": "int_uniform", "min": 1, "max": 4},
                               "x": {"distribution": "uniform", "min": 0.0, "max": 1.0}}


def test_random_distributions_and_reproducible(db, tmp_path):
    params = {
        "cat": {"values": ["a", "b"]},
        "i": {"min": 2, "max": 5},
        "q": {"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.25},
        "lu": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
        "n": {"distribution": "normal", "mu": 10, "sigma": 2},
        "ln": {"distribution": "log_normal", "mu": 0, "sigma": 0.5},
        "opt": {"parameters": {"lr": {"value": 0.1}}},
    }
    s = db.create_sweep({"name": "r", "method": "random", "metric": METRIC, "parameters": params, "run_cap": 100, "seed": 3})
    rows = []
    s.optimize(lambda t: rows.append(t.params) or 0.0)
    assert len(rows) == 100 and s.ask() is None
    assert {r["cat"] for r in rows} == {"a", "b"}
    assert {r["i"] for r in rows} == {2, 3, 4, 5}
    assert {r["q"] for r in rows} <= {0, 0.25, 0.5, 0.75, 1} and len({r["q"] for r in rows}) > 2
    assert all(1e-4 <= r["lu"] <= 1e-1 and r["ln"] > 0 for r in rows)
    assert abs(sum(r["n"] for r in rows) / 100 - 10) < 1
    assert all(r["opt"] == {"lr": 0.1} for r in rows)
    assert db.get_params("r-0") == rows[0]
    assert db.get_tags("r-0") == {"mldb.sweep": "r", "mldb.trial": "0"}
    with Database(str(tmp_path / "o.db")) as other:
        again = other.create_sweep({"name": "r", "method": "random", "metric": METRIC, "parameters": params,
                                    "run_cap": 3, "seed": 3})
        got = []
        again.optimize(lambda t: got.append(t.params) or 0.0)
        assert got == rows[:3]


def test_grid_once_and_tpe_beats_random(db):
    g = db.create_sweep({"name": "g", "method": "grid", "metric": METRIC,
                         "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": ["x", "y"]}}})
    seen = []
    g.optimize(lambda t: seen.append((t.params["a"], t.params["b"])) or 1.0)
    assert len(seen) == 6 and len(set(seen)) == 6 and g.ask() is None

    def quad(t):
        return (t.params["x"] - 2) ** 2 + (t.params["y"] + 1) ** 2

    space = {"x": {"min": -10.0, "max": 10.0}, "y": {"min": -10.0, "max": 10.0}}
    tpe, rnd = [], []
    for seed in range(5):
        for method, out in (("bayes", tpe), ("random", rnd)):
            s = db.create_sweep({"name": "%s-%d" % (method, seed), "method": method, "metric": METRIC,
                                 "parameters": space, "run_cap": 40, "seed": seed})
            s.optimize(quad)
            out.append(s.best()["value"])
    assert sorted(tpe)[2] < sorted(rnd)[2]


def test_median_and_hyperband_pruners(db):
    s = db.create_sweep({"name": "m", "method": "random", "metric": {"name": "valid/loss"},
                         "parameters": {"x": {"min": 0.0, "max": 1.0}},
                         "early_terminate": {"type": "median", "n_startup_trials": 2, "n_warmup_steps": 1}})
    for level in (1, 2):
        t = s.ask()
        for step in range(3):
            t.report(step, level)
        t.finish()
    good, bad = s.ask(), s.ask()
    for t, v in ((good, 1.0), (bad, 9.0)):
        t.report(0, v)
        t.report(1, v)
    assert not good.should_prune() and bad.should_prune()
    bad.prune()
    assert db.get_exp_status(bad.exp) == "PRUNED"
    assert s.summary()["pruned"] == 1
    assert s.best()["value"] == 1

    h = db.create_sweep({"name": "h", "method": "random", "metric": {"name": "loss"},
                         "parameters": {"x": {"min": 0.0, "max": 1.0}},
                         "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2}})
    trials = []
    for level in (1, 2, 3, 4):
        t = h.ask()
        for step in range(3):
            t.report(step, level)
        trials.append(t)
    assert [t.should_prune() for t in trials] == [False, False, True, True]


def test_a_config_holding_nul_is_refused_naming_it_and_nothing_is_created(db):
    problem = "sweep config contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it \u2014 remove it"
    for config in ({"name": "a\x00b", "metric": METRIC, "parameters": {"a": {"values": [1]}}},
                   {"name": "n", "metric": METRIC, "parameters": {"a": {"values": ["x\x00"]}}}):
        with pytest.raises(ValidationError) as info:
            db.create_sweep(config)
        assert str(info.value) == problem and info.value.field == "config"
    assert db.list_sweeps() == []


def test_cap_stop_lost_and_typescript_rules(db):
    s = db.create_sweep({"name": "c", "method": "grid", "metric": METRIC, "parameters": {"a": {"values": [1, 2]}},
                         "requeue_lost": True})
    dead = s.ask()
    db.set_notes(dead.exp, "epoch 3")
    old = 1000
    db.connection.execute("UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?", (old, old, dead.exp))
    db.commit()
    assert db.get_exp_status(dead.exp) == "LOST"
    again = s.ask()
    assert db.get_exp_status(dead.exp) == "FAILED"
    # what the trial wrote stays, the LOST line below it, as a FAILED trial's error
    assert db.get_notes(dead.exp) == "epoch 3\nLOST: its worker stopped beating; marked FAILED by the sweep"
    assert again.params == dead.params and again.number == 1
    again.finish(1.0)
    with pytest.raises(ValidationError):
        again.report(3, 1.0)
    s.stop()
    assert s.ask() is None
    assert db.list_sweeps()[0]["state"] == "STOPPED"
    with pytest.raises(NotFoundError):
        db.get_sweep("nope")
    with pytest.raises(ValidationError):
        db.create_sweep({"name": "c", "metric": METRIC, "parameters": {"a": {"value": 1}}})


def test_optimize_fails_the_trial_and_reraises(db):
    s = db.create_sweep({"name": "f", "metric": METRIC, "parameters": {"a": {"value": 1}}})

    def boom(t):
        raise RuntimeError("diverged")

    with pytest.raises(RuntimeError):
        s.optimize(boom, n_trials=1)
    assert db.get_exp_status("f-0") == "FAILED"
    assert "diverged" in db.get_notes("f-0")


def test_a_failed_trial_keeps_the_notes_written_before_its_error(db):
    # as the TypeScript client and the team server do (docs/schema.md, "Sweeps")
    s = db.create_sweep({"name": "n", "metric": METRIC, "parameters": {"a": {"value": 1}}})
    t = s.ask()
    db.set_notes(t.exp, "lr warm-up on")
    t.fail(RuntimeError("diverged"))
    assert db.get_notes(t.exp) == "lr warm-up on\ndiverged"
    assert db.get_exp_status(t.exp) == "FAILED"


def test_start_run_without_a_name_joins_mldb_exp(db, tmp_path):
    s = db.create_sweep({"name": "j", "metric": METRIC, "parameters": {"lr": {"value": 0.5}}})
    t = s.ask()
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "from mldb import Database\n"
        "with Database() as db:\n"
        "    with db.start_run(params={'lr': 0.5}) as run:\n"
        "        run.log({'objective': 0.25}, step=0)\n"
        "        print(run.name)\n" % os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    )
    env = {**os.environ, "MLDB_EXP": t.exp, "MLDB_SWEEP": "j", "MLDB_DB_PATH": db.path}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "j-0"
    assert db.get_exp_status("j-0") == "COMPLETE"
    assert [e["name"] for e in db.list_experiments()] == ["j-0"]
    assert s.trials()[0]["value"] == 0.25


def test_the_readme_sweep_example_runs(tmp_path):
    import re

    from conftest import REPO_ROOT

    with open(os.path.join(REPO_ROOT, "python", "README.md"), encoding="utf-8") as f:
        block = re.search(r"### Sweeps\n\n```python\n(.*?)```", f.read(), re.S).group(1)
    code = "import sys; sys.path.insert(0, %r)\n" % os.path.join(REPO_ROOT, "python") + block
    env = {**os.environ, "MLDB_DB_PATH": str(tmp_path / "r.db")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "'exp': 'quad-" in out.stdout
