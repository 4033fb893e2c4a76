"""Issue 8 item 5 in Python, as test/api/api-fuzz.test.ts in TypeScript: every
public method of Database and Run, called with random types per argument, raises
only mldb exceptions (never TypeError/ValueError/sqlite3 errors or a
RecursionError), and a call it rejects writes nothing."""

import hashlib
import inspect
import random
import sqlite3

from mldb import Database, MldbError



class Unprintable:
    """An object whose repr() and str() raise: an error message about it must still be built."""

    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__


def deep_list(levels):
    """A list nested `levels` deep: its repr() is a RecursionError."""
    o = 1
    for _ in range(levels):
        o = [o]
    return o


VALUES = [
    None, 0, 1, -1, 1.5, float("nan"), float("inf"), True, "", "x", " ", "a/b", "e1", "valid/loss", "COMPLETE",
    "params.lr <", "\x00", "é" * 300, [], [1], {}, {"a": 1}, {"a": object()}, {1: 2}, object(), b"bytes",
    2**70, -(2**70), 10**400, (1, 2), {1, 2}, lambda: 1, Exception("e"),
    # an error message that renders its value must not fail on it (issue 8 item 5), nor may a lone surrogate
    deep_list(5000), Unprintable(), "\ud800",
]
# Writing to the write lock's life cycle or closing the file is not a call to fuzz.
SKIP = {"close", "commit", "rollback", "finish", "fail"}


def snapshot(path):
    """Every row of every table, minus what a read may legitimately touch: heartbeats,
    the series tail flag (a read folds tails) and experiment_lists (rebuilt on reads)."""
    c = sqlite3.connect(path)
    h = hashlib.sha256()
    tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        if t == "experiment_lists":
            continue
        if t == "experiments":
            q = "SELECT id, name, project_id, status, ended_at, notes, deleted_at FROM experiments ORDER BY id"
        elif t == "series":
            q = "SELECT id, experiment_id, name, split FROM series ORDER BY id"
        else:
            q = 'SELECT * FROM "%s"' % t
        for row in c.execute(q):
            h.update(repr(row).encode())
    c.close()
    return h.hexdigest()


def shown(args):
    """The arguments for a failure report; repr() itself fails on some of VALUES."""
    return ", ".join(type(a).__name__ if isinstance(a, (list, Unprintable)) else repr(a)[:60] for a in args)


def public_methods(obj, prefix=""):
    return [(prefix + n, m) for n, m in inspect.getmembers(obj, inspect.ismethod) if not n.startswith("_") and n not in SKIP]


def test_random_arguments_raise_only_mldb_errors_and_rejected_calls_write_nothing(db_path):
    rnd = random.Random(8)
    db = Database(db_path)
    db.set_exp_status("e1", "COMPLETE")
    db.add_metric_value("e1", "loss", 1, 0.5, split="valid")
    run = db.start_run(name="r1")
    methods = public_methods(db) + public_methods(run, "run.")
    assert len(methods) > 30
    problems = {}
    for _ in range(1500):
        name, method = rnd.choice(methods)
        args = []
        for p in inspect.signature(method).parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if p.default is not p.empty and rnd.random() < 0.5:
                break
            args.append(rnd.choice(VALUES))
        before = snapshot(db_path)
        try:
            method(*args)
        except MldbError:
            if snapshot(db_path) != before:
                problems.setdefault((name, "wrote though rejected"), shown(args))
        except BaseException as e:  # noqa: BLE001 - what the test is looking for
            problems.setdefault((name, type(e).__name__), "%s: %s" % (shown(args), str(e)[:200]))
    run.finish()
    db.close()
    assert problems == {}
