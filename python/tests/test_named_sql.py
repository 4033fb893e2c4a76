"""The named SQL of the repository's sql/ folder: the statements both clients run,
read by Python from the one place they are kept, and shipped inside a built package."""

import os
import re
import sqlite3
import subprocess
import sys
import time

from conftest import PYTHON_DIR, REPO_ROOT

from mldb import LOST_AFTER_MS, Database
from mldb.listing_sql import listing_sql
from mldb.sql_files import sql, sql_dir, strip_comments

REPO_SQL = os.path.join(REPO_ROOT, "sql")


def repo_sql_files():
    """Every .sql file under sql/, as a path relative to it."""
    found = []
    for folder, _, files in os.walk(REPO_SQL):
        found += [os.path.relpath(os.path.join(folder, f), REPO_SQL) for f in files if f.endswith(".sql")]
    return sorted(found)


def expected_text(name):
    """A file's text as docs/schema.md says a client reads it: comments dropped, ``{folder/name}`` replaced."""
    with open(os.path.join(REPO_SQL, name + ".sql"), "rb") as f:
        text = strip_comments(f.read().decode("utf-8"))
    return re.sub(r"\{([a-z0-9/-]+)\}", lambda m: expected_text(m.group(1)), text)


class _AnyName(dict):
    """Binds None to every named parameter, so a statement can be EXPLAINed without values."""

    def __missing__(self, key):
        return None


def _filter_probe(name, text):
    """A statement around a fragment of the filter compiler (sql/filter/), its ``/*slot*/``s filled as a
    compiler fills them: a metric column, param or tag test over its row ``x``, an ORDER BY list, or an
    expression over ``experiments e JOIN projects p``."""
    slots = {"cond": "TRUE", "column": "x.count", "key": "e.id", "direction": "ASC"}
    text = re.sub(r"/\*([a-z]+)\*/", lambda m: slots.get(m.group(1), m.group(0)), text).replace("@now", "0")
    if name == "filter/order-missing-last":
        return "SELECT 1 FROM experiments e ORDER BY %s" % text
    if name.startswith("filter/metric-"):
        return "SELECT %s FROM series x" % text
    if name.startswith("filter/param-"):
        return "SELECT %s FROM params x" % text
    if name.startswith("filter/tag-"):
        return "SELECT %s FROM tags x" % text
    return "SELECT %s FROM experiments e JOIN projects p ON p.id = e.project_id" % text


def test_every_statement_is_the_repository_file_and_compiles_against_the_schema(db_path):
    Database(db_path).close()
    conn = sqlite3.connect(db_path)
    _octet_length(conn)
    names = [f[:-4] for f in repo_sql_files() if not f.startswith("pg" + os.sep)]
    assert "points/append-tail" in names and "experiments/set-status" in names
    for name in names:
        assert sql(name) == expected_text(name), name
        text = sql(name)
        if name in ("status/derived", "status/duration", "listing/params-json"):
            text = "SELECT %s FROM experiments e" % text.replace("@now", "0")
        elif name.startswith("listing/where-"):
            text = "SELECT 1 FROM experiments e JOIN projects p ON p.id = e.project_id WHERE %s" % text.replace("@now", "0")
        elif name.startswith("filter/"):
            text = _filter_probe(name, text)
        elif name == "listing/order-default":
            text = "SELECT 1 FROM experiments e ORDER BY %s" % text
        elif name == "listing/experiment-fields":
            text = "SELECT json_object(%s) FROM experiments e JOIN projects p ON p.id = e.project_id" % text.replace("@now", "0")
        elif name.startswith("listing/"):
            text = listing_sql(name, 0, where="1", order="e.id")
        # a statement with both `?` and @name (TypeScript binds both) takes its values in order
        count = text.count("?") + len(set(re.findall(r"@\w+", text)))
        args = (None,) * count if "?" in text else _AnyName() if "@" in text else ()
        conn.execute("EXPLAIN " + text, args).fetchall()
    conn.close()


def test_every_name_the_python_client_runs_has_a_file():
    used = set()
    for folder, _, files in os.walk(os.path.join(PYTHON_DIR, "mldb")):
        for f in files:
            if f.endswith(".py"):
                with open(os.path.join(folder, f), encoding="utf-8") as src:
                    used |= set(re.findall(r"\bsql\(\s*['\"]([a-z0-9-]+(?:/[a-z0-9-]+)+)['\"]", src.read()))
    assert {"registry/next-version", "registry/alias-set", "sweeps/lost", "sweeps/trials"} <= used
    missing = [n for n in sorted(used) if not os.path.isfile(os.path.join(REPO_SQL, n + ".sql"))]
    assert missing == []
    assert sql("status/derived") in sql("sweeps/lost")  # the sweep's LOST query reads the one rule


def _octet_length(conn):
    """octet_length came in SQLite 3.43; the statements only TypeScript runs (better-sqlite3's newer SQLite) use it."""
    if sqlite3.sqlite_version_info < (3, 43):
        conn.create_function("octet_length", 1, lambda v: None if v is None else len(v if isinstance(v, bytes) else str(v).encode()))


def test_a_listing_reads_the_same_from_experiment_lists_rows_as_from_the_tables(db_path):
    with Database(db_path, clock=lambda: 1_800_000_000_000) as db:
        db.set_params("a", {"lr": 0.001, "layers": [64, {"drop": 0.5}], "name": "r\u00e9sum\u00e9"})
        db.set_tags("a", {"team": "vision"})
        # not ±Infinity: SQLite before 3.44 writes it into JSON as Inf, which no JSON reader takes
        # (TypeScript's SQLite writes 9e999; test/python-interop/cli-show.test.ts has Python read those rows)
        for step, value in enumerate([0.9, float("nan"), 1e-300, 0.25]):
            db.add_metric_value("a", "loss", step, value, split="valid")
        db.add_metric_value("a", "acc", 0, float("nan"))
        db.set_params("b", {"lr": 0.1})
        db.set_exp_status("b", "COMPLETE")
        from_tables = db.list_experiments()
        assert db.connection.execute("SELECT count(*) FROM experiment_lists").fetchone()[0] == 0
        # the rows a TypeScript listing stores (Python never writes them), then the same listing again
        _octet_length(db.connection)
        with db.connection:
            db.connection.execute(sql("listing/lists-fill"), {"max_bytes": 65_536, "undecodable": "x"})
        assert db.connection.execute("SELECT count(*) FROM experiment_lists").fetchone()[0] == 2
        from_rows = db.list_experiments()
        # and it is the rows that were read: a row changed by hand shows
        with db.connection:
            db.connection.execute("""UPDATE experiment_lists SET summary = '[{"lr":"from the row"},{},[]]' WHERE experiment_id = 2""")
        assert db.list_experiments(name="b")[0]["params"] == {"lr": "from the row"}
    assert repr(from_rows) == repr(from_tables)  # repr: NaN equal to NaN, floats to the last digit
    assert from_rows[1]["series"]["valid/loss"]["max"] == 0.9 and from_rows[1]["params"]["layers"] == [64, {"drop": 0.5}]


def test_lost_after_ms_is_the_number_in_the_shared_rule(db_path):
    assert "(@now - %d)" % LOST_AFTER_MS in sql("status/derived")
    assert LOST_AFTER_MS == 60_000
    now = [time.time_ns() // 1_000_000]
    with Database(db_path, clock=lambda: now[0]) as db:
        db.set_exp_status("quiet", "TRAINING")
        now[0] += 35_000
        db.set_exp_status("alive", "TRAINING")
        now[0] += LOST_AFTER_MS - 30_000  # quiet's last sign of life is LOST_AFTER_MS + 5 s old, alive's younger
        assert db.get_exp_status("quiet") == "LOST"
        assert db.get_exp_status("alive") == "TRAINING"
        assert [e["name"] for e in db.list_experiments(where="status = 'LOST'")] == ["quiet"]


def test_build_step_ships_the_named_sql(tmp_path):
    # The same build_py that `pip install ./python` runs, offline, into a temp folder.
    out = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
        cwd=PYTHON_DIR, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    shipped = tmp_path / "mldb" / "sql"
    found = sorted(
        os.path.relpath(os.path.join(folder, f), str(shipped)) for folder, _, files in os.walk(str(shipped)) for f in files
    )
    assert found == repo_sql_files()
    for name in repo_sql_files():
        with open(os.path.join(REPO_SQL, name), "rb") as f:
            assert (shipped / name).read_bytes() == f.read(), name


def test_an_installed_package_reads_its_own_copy():
    package_dir = os.path.dirname(os.path.abspath(sys.modules["mldb"].__file__))
    if package_dir == os.path.join(PYTHON_DIR, "mldb"):
        assert sql_dir() == os.path.normpath(REPO_SQL)
    else:
        assert os.path.dirname(sql_dir()) == package_dir
