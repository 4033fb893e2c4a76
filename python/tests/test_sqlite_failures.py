"""SQLite's own failures reach the user as mldb exceptions that keep SQLite's code
and say what to do (issue 8 item 6), as in the TypeScript client: disk full, busy
past the timeout, read-only, corrupt, and a -wal deleted under an open writer."""

import os
import sqlite3
import subprocess

import pytest

from mldb import (
    CorruptDatabaseError,
    Database,
    DatabaseBusyError,
    DatabaseIoError,
    DiskFullError,
    MldbError,
    ReadOnlyDatabaseError,
    SqliteFailure,
)


def _mount(path, size):
    """Mounts a small tmpfs at path (we run as root in CI); the reason when that is not allowed."""
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", path], capture_output=True, text=True)
    return None if r.returncode == 0 else "mount -t tmpfs is not permitted here: %s" % (r.stderr.strip() or r.returncode)


@pytest.fixture
def tmpfs(tmp_path):
    mounted = []

    def mount(name, size):
        path = str(tmp_path / name)
        reason = _mount(path, size)
        if reason:
            pytest.skip(reason)
        mounted.append(path)
        return path

    yield mount
    for m in mounted:
        subprocess.run(["umount", "-l", m], check=False)


def test_disk_full_raises_disk_full_error_and_writes_nothing_of_the_failed_call(tmpfs):
    path = os.path.join(tmpfs("small", "1m"), "m.db")
    with Database(path) as db:
        ok = 0
        err = None
        for i in range(10000):
            try:
                db.log_batch("full", [{"name": "loss", "step": i * 100 + k, "value": k / 7} for k in range(100)])
                ok += 1
            except Exception as e:  # noqa: BLE001 (the test looks at what it is)
                err = e
                break
        assert isinstance(err, DiskFullError), repr(err)
        assert isinstance(err, SqliteFailure)
        assert err.code.startswith("SQLITE_FULL")
        assert path in str(err) and "free space" in str(err)
        assert db.get_series("full")[0]["count"] == ok * 100


def test_read_only_file_system_raises_read_only_database_error(tmpfs):
    mnt = tmpfs("ro", "4m")
    path = os.path.join(mnt, "m.db")
    with Database(path) as db:
        db.add_metric_value("e", "loss", 0, 1.0)
    subprocess.run(["mount", "-o", "remount,ro", mnt], check=True)
    with pytest.raises(ReadOnlyDatabaseError) as info:
        Database(path)
    assert info.value.code.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY"))
    assert "read-only" in str(info.value) and "writable" in str(info.value)


def test_write_lock_held_past_the_timeout_raises_busy_error_and_writes_nothing(db_path):
    db = Database(db_path, busy_timeout_ms=50)
    db.add_metric_value("e", "loss", 0, 1.0)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError) as info:
            db.add_metric_value("e", "loss", 1, 2.0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert info.value.code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    assert "fuser %s" % db_path in str(info.value)
    assert [p["step"] for p in db.get_metric_values("e", "loss")] == [0]
    db.add_metric_value("e", "loss", 1, 2.0)
    assert [p["step"] for p in db.get_metric_values("e", "loss")] == [0, 1]
    db.close()


def test_damaged_file_raises_corrupt_database_error(db_path):
    with Database(db_path) as db:
        for i in range(50):
            db.log_batch("e%d" % i, [{"name": "loss", "step": k, "value": float(k)} for k in range(200)])
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(db_path)
    with open(db_path, "r+b") as f:
        for off in range(1024, size, 4096):
            f.seek(off)
            f.write(b"\xa5" * 1024)
    with pytest.raises(CorruptDatabaseError) as info:
        with Database(db_path) as bad:
            bad.list_experiments()
            for i in range(50):
                bad.get_metric_values("e%d" % i, "loss")
    assert info.value.code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    assert db_path in str(info.value) and "mldb doctor" in str(info.value)


def test_wal_deleted_under_an_open_writer_is_reported_on_the_next_open(db_path):
    writer = Database(db_path)
    for i in range(20):
        writer.add_metric_value("e", "loss", i, float(i))
    os.unlink(db_path + "-wal")
    writer.add_metric_value("e", "loss", 20, 20.0)
    with pytest.raises(DatabaseIoError) as info:
        Database(db_path)
    assert isinstance(info.value, MldbError)
    assert "-wal was deleted or cut short while a process had" in str(info.value)
    assert db_path + "-shm" in str(info.value)
    assert len(writer.get_metric_values("e", "loss")) == 21
    writer.close()
    with Database(db_path) as again:
        assert len(again.get_metric_values("e", "loss")) == 21
