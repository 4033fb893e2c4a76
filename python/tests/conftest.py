"""Shared fixtures: every test gets its own HOME, no MLDB_DB_PATH and an empty
CONFIG, so nothing ever touches the user's ~/.mldb."""

import math
import os
import sqlite3
import subprocess
import sys

import pytest

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(PYTHON_DIR)

try:
    import mldb  # noqa: F401  (the installed package, as CI runs it)
except ImportError:  # a source checkout without `pip install ./python`
    sys.path.insert(0, PYTHON_DIR)
    import mldb  # noqa: F401


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """A temporary HOME with no config file."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.delenv("MLDB_DB_PATH", raising=False)
    from mldb import CONFIG

    saved = dict(CONFIG)
    CONFIG.clear()
    yield home
    CONFIG.clear()
    CONFIG.update(saved)


@pytest.fixture
def db_path(tmp_path):
    """A database file path in a fresh temp folder (not created yet)."""
    return str(tmp_path / "data" / "mldb.db")


def child_env(**extra):
    """The environment for a child Python: it imports the same mldb as this test."""
    env = dict(os.environ)
    mldb_parent = os.path.dirname(os.path.dirname(sys.modules["mldb"].__file__))
    env["PYTHONPATH"] = mldb_parent + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run_python(code, timeout=120, **env):
    """Runs code in a child Python; returns the CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-c", code], env=child_env(**env), capture_output=True, text=True, timeout=timeout
    )


def same(a, b):
    """Equality that counts NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def assert_summaries_consistent(path):
    """The series and point_blocks rows describe the points exactly, as `mldb doctor` would check."""
    conn = sqlite3.connect(path)
    try:
        for sid, count, first, last_step, last_value, lo, hi, nans, bu, unblocked in conn.execute(
            "SELECT id, count, first_step, last_step, last_value, min_value, max_value, nan_count, blocked_until,"
            " unblocked FROM series"
        ).fetchall():
            pts = conn.execute("SELECT step, seq, value FROM points WHERE series_id = ? ORDER BY step, seq", (sid,)).fetchall()
            assert count == len(pts)
            assert first == min(p[0] for p in pts)
            assert last_step == max(p[0] for p in pts)
            values = [p[2] for p in pts if p[2] is not None]
            assert nans == len(pts) - len(values)
            assert lo == (min(values) if values else None)
            assert hi == (max(values) if values else None)
            blocks = conn.execute(
                "SELECT first_step, last_step, count, nan_count FROM point_blocks WHERE series_id = ? ORDER BY first_step",
                (sid,),
            ).fetchall()
            assert_blocks_describe_points(conn, sid, [p for p in pts if bu is not None and p[0] <= bu])
            inside = [p for p in pts if bu is not None and p[0] <= bu]
            assert sum(b[2] for b in blocks) == len(inside)
            assert sum(b[3] for b in blocks) == sum(1 for p in inside if p[2] is None)
            assert unblocked == len(pts) - len(inside)
            assert last_value == pts[-1][2]
            assert unblocked < 64
    finally:
        conn.close()


def assert_blocks_describe_points(conn, sid, inside):
    """Each block holds the points from its first_step up to the next block's first_step
    (a point lands in the block that starts at or before it); its summary row must be
    exactly theirs, last_step/last_value/last_time included (the later-logged point
    winning at equal steps)."""
    blocks = conn.execute(
        "SELECT first_step, last_step, count, min_value, max_value, last_value, last_time, nan_count"
        " FROM point_blocks WHERE series_id = ? ORDER BY first_step",
        (sid,),
    ).fetchall()
    rows = conn.execute(
        "SELECT step, seq, time, value FROM points WHERE series_id = ? ORDER BY step, seq", (sid,)
    ).fetchall()
    held = {(r[0], r[1]) for r in inside}
    rows = [r for r in rows if (r[0], r[1]) in held]
    for i, (first, last_step, count, lo, hi, last_value, last_time, nans) in enumerate(blocks):
        nxt = blocks[i + 1][0] if i + 1 < len(blocks) else None
        mine = [r for r in rows if (i == 0 or r[0] >= first) and (nxt is None or r[0] < nxt)]
        assert mine, "block at %s holds no points" % first
        values = [r[3] for r in mine if r[3] is not None]
        assert (first, last_step, count, nans) == (mine[0][0], mine[-1][0], len(mine), len(mine) - len(values))
        assert (lo, hi) == ((min(values), max(values)) if values else (None, None))
        assert (last_value, last_time) == (mine[-1][3], mine[-1][2])
