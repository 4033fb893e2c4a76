"""The schema comes from the repository's migrations/, applied once, never downgraded."""

import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import PYTHON_DIR, REPO_ROOT, child_env

import mldb
from mldb import Database, DatabaseError, SchemaVersionError, schema_version
from mldb.migrations import load_migrations, migrations_dir

REPO_MIGRATIONS = os.path.join(REPO_ROOT, "migrations")


def repo_sql_files():
    return sorted(f for f in os.listdir(REPO_MIGRATIONS) if f.endswith(".sql"))


def test_migrations_used_are_the_repository_files_byte_for_byte():
    folder = migrations_dir()
    assert sorted(f for f in os.listdir(folder) if f.endswith(".sql")) == repo_sql_files()
    for name in repo_sql_files():
        with open(os.path.join(folder, name), "rb") as a, open(os.path.join(REPO_MIGRATIONS, name), "rb") as b:
            assert a.read() == b.read(), name
    assert [m[1] for m in load_migrations()] == repo_sql_files()


def test_installed_package_carries_its_own_copy():
    package_dir = os.path.dirname(os.path.abspath(mldb.__file__))
    if package_dir == os.path.join(PYTHON_DIR, "mldb"):
        pytest.skip("running from the source tree (PYTHONPATH=python); the wheel test covers the installed copy")
    assert os.path.dirname(migrations_dir()) == package_dir


def test_build_step_ships_the_repository_migrations(tmp_path):
    # The same build_py that `pip install ./python` runs, offline, into a temp folder.
    out = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
        cwd=PYTHON_DIR, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    shipped_dir = tmp_path / "mldb" / "migrations"
    assert sorted(os.listdir(str(shipped_dir))) == repo_sql_files()
    for name in repo_sql_files():
        with open(os.path.join(REPO_MIGRATIONS, name), "rb") as f:
            assert (shipped_dir / name).read_bytes() == f.read(), name


def test_new_file_gets_schema_and_pragmas(db_path):
    with Database(db_path) as db:
        c = db.connection
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema_version() >= 1
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
        assert c.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 4000
        views = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        assert {"STATUS", "LOSS", "METRICS", "FILES"} <= views


def test_newer_schema_is_refused_untouched(db_path):
    Database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaVersionError, match="newer mldb \\(schema version 99") as info:
        Database(db_path)
    assert (info.value.found, info.value.supported) == (99, schema_version())
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = str(tmp_path / "other.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.close()
    with pytest.raises(SchemaVersionError, match="not an mldb one"):
        Database(path)


def test_non_sqlite_file_and_folder_are_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is not a database at all")
    with pytest.raises(DatabaseError, match="is not an SQLite database"):
        Database(str(text))
    with pytest.raises(DatabaseError, match="is a folder"):
        Database(str(tmp_path))


def test_many_processes_opening_a_new_file_migrate_once(db_path):
    code = "import sys\nfrom mldb import Database\nwith Database(sys.argv[1]) as db: db.set_exp_status('e%s' % sys.argv[2], 'PENDING')"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_path, str(i)], env=child_env(), stderr=subprocess.PIPE)
        for i in range(6)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    with Database(db_path) as db:
        assert len(db.list_experiments()) == 6
