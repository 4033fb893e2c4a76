"""What the Python bayes (TPE) sampler learns from, seen through ask(): running
trials count as bad ("constant liar"), pruned trials by their deepest step, and
every distribution stays inside its support once TPE takes over."""

import math

import pytest

from mldb import Database

MINIMIZE = {"name": "loss", "goal": "minimize"}


@pytest.fixture
def db(tmp_path):
    with Database(str(tmp_path / "m.db")) as d:
        yield d


def _close_pairs(xs, eps):
    return sum(1 for i in range(len(xs)) for j in range(i + 1, len(xs)) if abs(xs[i] - xs[j]) < eps)


def test_running_trials_count_as_bad(db):
    def warm(name, seed):
        s = db.create_sweep({"name": name, "method": "bayes", "metric": MINIMIZE,
                             "parameters": {"x": {"min": 0.0, "max": 9.0}}, "seed": seed})
        s.optimize(lambda t: abs(t.params["x"] - 3), n_trials=20)
        return s

    pending_close = failed_close = 0
    for seed in range(1, 6):
        # eight workers ask at once: each sees the others' trials running
        parallel = warm("parallel-%d" % seed, seed)
        pending = [parallel.ask().params["x"] for _ in range(8)]
        # the same history, each trial failed before the next ask: FAILED trials teach nothing
        serial = warm("serial-%d" % seed, seed)
        failed = []
        for _ in range(8):
            t = serial.ask()
            t.fail("gone")
            failed.append(t.params["x"])
        assert pending[0] == failed[0]
        assert pending[1:] != failed[1:]
        pending_close += _close_pairs(pending, 0.1)
        failed_close += _close_pairs(failed, 0.1)
    assert pending_close < failed_close


def test_running_trials_do_not_count_in_gammas_n(db):
    # Ten finished trials: the smallest x is best, the largest x second. gamma(10) = 1, so only the best is good;
    # counting the running trials too (gamma(11) = 2 from the second parallel ask) made the second good as well.
    near_second = 0
    for seed in range(1, 41):
        s = db.create_sweep({"name": "liar-n-%d" % seed, "method": "bayes", "metric": MINIMIZE,
                             "parameters": {"x": {"min": 0.0, "max": 1.0}}, "seed": seed})
        startup = [s.ask() for _ in range(10)]
        xs = [t.params["x"] for t in startup]
        lo, hi = min(xs), max(xs)
        for t in startup:
            t.finish(0.0 if t.params["x"] == lo else 1.0 if t.params["x"] == hi else 10.0)
        # two workers ask at once: the second sees the first one's trial running
        s.ask()
        x = s.ask().params["x"]
        near_second += abs(x - hi) < abs(x - lo)
    # 16 of 40 nearer the second than the best; with running trials in n, 26
    assert near_second <= 21


def test_pruned_trials_feed_the_sampler_by_deepest_step(db):
    deep_side = 0
    for seed in range(1, 6):
        s = db.create_sweep({"name": "pruned-%d" % seed, "method": "bayes", "metric": MINIMIZE,
                             "parameters": {"x": {"min": 0.0, "max": 1.0}}, "seed": seed})
        # every startup trial is pruned: right of 0.5 after ten steps at 5, left of it after one step at a better 1
        for _ in range(10):
            t = s.ask()
            if t.params["x"] > 0.5:
                for step in range(10):
                    t.report(step, 5.0)
            else:
                t.report(0, 1.0)
            t.prune()
        for _ in range(8):
            t = s.ask()
            deep_side += t.params["x"] > 0.5
            t.fail("probe")
    # random draws land right of 0.5 about half the time (20 of 40), value-first ranking mostly left
    assert deep_side >= 30


def test_bayes_keeps_every_distribution_in_its_support(db):
    params = {
        "cat": {"values": ["a", "b", "c"]},
        "u": {"distribution": "uniform", "min": -1.0, "max": 1.0},
        "i": {"min": 2, "max": 5},
        "q": {"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.25},
        "lu": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
        "qlu": {"distribution": "q_log_uniform_values", "min": 8, "max": 256, "q": 8},
        "n": {"distribution": "normal", "mu": 10, "sigma": 2},
        "ln": {"distribution": "log_normal", "mu": 0, "sigma": 0.5},
        "nested": {"parameters": {"k": {"value": 7}}},
    }
    s = db.create_sweep({"name": "all", "method": "bayes", "metric": MINIMIZE, "parameters": params,
                         "run_cap": 40, "seed": 3})
    s.optimize(lambda t: (0 if t.params["cat"] == "b" else 1) + abs(math.log10(t.params["lu"]) + 2)
               + abs(t.params["n"] - 12))
    rows = [t["params"] for t in s.trials()]
    assert len(rows) == 40
    tpe = rows[10:]
    assert all(r["cat"] in ("a", "b", "c") for r in tpe)
    assert all(-1 <= r["u"] <= 1 for r in tpe)
    assert all(isinstance(r["i"], int) and 2 <= r["i"] <= 5 for r in tpe)
    assert all(r["q"] in (0, 0.25, 0.5, 0.75, 1) for r in tpe)
    assert all(1e-4 <= r["lu"] <= 1e-1 for r in tpe)
    assert all(r["qlu"] % 8 == 0 and 8 <= r["qlu"] <= 256 for r in tpe)
    assert all(math.isfinite(r["n"]) and r["ln"] > 0 for r in tpe)
    assert all(r["nested"] == {"k": 7} for r in tpe)
