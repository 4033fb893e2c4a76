"""Opening the file with the pragmas every mldb connection uses (the same as
src/store/connection.ts) and bringing its schema up to date."""

import contextlib
import os
import random
import sqlite3
import time

from .errors import DatabaseError, SchemaVersionError
from .migrations import latest_version, load_migrations
from .sqlite_errors import sqlite_code, sqlite_error
from .wal_check import assert_wal_intact
from .wal_guard import WAL_LIMIT_BYTES

#: How long a writer waits for another process's transaction before retrying.
BUSY_TIMEOUT_S = 10.0
#: Retries after SQLITE_BUSY outlives the busy timeout (a very long checkpoint, say).
BUSY_RETRIES = 5


def busy_seconds(busy_timeout_s=BUSY_TIMEOUT_S):
    """How long a call waits in all for a lock before giving up, in seconds."""
    return round(busy_timeout_s * (BUSY_RETRIES + 1), 1)


def is_busy(e):
    """True when SQLite said the database is locked or busy."""
    msg = str(e).lower()
    return isinstance(e, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


def with_busy_retry(conn, fn):
    """Runs fn again while SQLite reports the database busy past its timeout,
    rolling back whatever the failed attempt left open."""
    attempt = 0
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as e:
            if not is_busy(e) or attempt >= BUSY_RETRIES:
                raise
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            attempt += 1
            time.sleep(0.02 + random.random() * 0.08)


#: How long a write made on behalf of a read (folding series tails) waits for another process's lock, in ms.
READ_SIDE_WRITE_WAIT_MS = 200


@contextlib.contextmanager
def short_busy_wait(conn, wait_ms=READ_SIDE_WRITE_WAIT_MS):
    """Within the block, a lock held by another process is waited for at most
    ``wait_ms`` (instead of the connection's full busy timeout): a read that
    would fold series tails first must not stall behind a long import or a
    foreign lock; it reads without folding instead (as src/store/connection.ts)."""
    own = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    if own <= wait_ms:
        yield
        return
    conn.execute("PRAGMA busy_timeout = %d" % wait_ms)
    try:
        yield
    finally:
        conn.execute("PRAGMA busy_timeout = %d" % own)


def _assert_sqlite_file(path):
    if path == ":memory:" or not os.path.exists(path):
        return
    if os.path.isdir(path):
        raise DatabaseError("%s is a folder, not a database file; pass the path of a .db file" % path)
    # Only stat here, never open(): closing any descriptor of a file drops every POSIX lock this
    # process holds on it, so reading the header while another connection of this process (the
    # sync sender's, a second Database) has it open would strip that connection's SQLite locks,
    # and another process could then take itself for the last one and delete the -wal under it
    # (https://www.sqlite.org/howtocorrupt.html, 2.2). SQLite reports a foreign file as "not a database".


def _not_sqlite(path):
    return DatabaseError("%s is not an SQLite database; check the path (Database(path), MLDB_DB_PATH or ~/.mldb_config.json)" % path)


def connect(path, busy_timeout_s=BUSY_TIMEOUT_S):
    """A bare connection with mldb's pragmas, in autocommit mode (isolation_level=None),
    without touching the schema: what the heartbeat thread uses."""
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = %d" % int(busy_timeout_s * 1000))
        # Only a new, empty file takes it (see src/store/connection.ts for why 1 KiB).
        conn.execute("PRAGMA page_size = 1024")
        with_busy_retry(conn, lambda: conn.execute("PRAGMA journal_mode = WAL").fetchall())
        # WAL + NORMAL keeps every committed transaction across a killed process.
        conn.execute("PRAGMA synchronous = NORMAL")
        # Bigger than the default 1000 pages: fewer checkpoints stalling a writer.
        conn.execute("PRAGMA wal_autocheckpoint = 4000")
        # Whenever the WAL starts over, cut the file back to this (wal_guard.py forces that when it never does).
        conn.execute("PRAGMA journal_size_limit = %d" % WAL_LIMIT_BYTES)
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def open_sqlite(path, busy_timeout_s=BUSY_TIMEOUT_S):
    """Opens (creating the folder if needed) and migrates the file at path."""
    _assert_sqlite_file(path)
    if path != ":memory:":
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    try:
        conn = connect(path, busy_timeout_s)
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e):
            raise _not_sqlite(path) from None
        if sqlite_code(e).startswith("SQLITE_IOERR"):
            # A -wal deleted under a writer shows as a short read here: say so rather than "disk I/O error".
            assert_wal_intact(path)
        mapped = sqlite_error(e, path, busy_seconds=busy_seconds(busy_timeout_s))
        raise (mapped or DatabaseError("cannot open %s: %s" % (path, e))) from None
    try:
        migrate(conn, path)
    except sqlite3.Error as e:
        conn.close()
        if "not a database" in str(e):
            raise _not_sqlite(path) from None
        if sqlite_code(e).startswith("SQLITE_IOERR"):
            assert_wal_intact(path)
        mapped = sqlite_error(e, path, busy_seconds=busy_seconds(busy_timeout_s))
        if mapped is None:
            raise
        raise mapped from e
    except BaseException:
        conn.close()
        raise
    return conn


def split_sql(script):
    """The statements of an SQL script, split where SQLite says a statement is complete
    (so trigger bodies with inner semicolons stay whole)."""
    out = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            out.append(buf)
            buf = ""
    return out


def _newer(path, found, supported):
    return SchemaVersionError(
        "%s was written by a newer mldb (schema version %d, this one knows up to %d); upgrade mldb to open it"
        % (path, found, supported),
        found,
        supported,
    )


def migrate(conn, path):
    """Applies the numbered migrations this file lacks. Each runs in BEGIN IMMEDIATE
    and re-reads user_version inside it, so many processes opening a new file at
    once apply each migration exactly once."""
    latest = latest_version()
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > latest:
        raise _newer(path, current, latest)
    if current == latest:
        return
    if current == 0:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        has_exp = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'experiments'").fetchone()
        if tables > 0 and not has_exp:
            raise SchemaVersionError(
                "%s is an SQLite database but not an mldb one (it has other tables); pick another path" % path,
                0,
                latest,
            )
    for version, _name, sql in load_migrations():

        def apply(version=version, sql=sql):
            conn.execute("BEGIN IMMEDIATE")
            try:
                v = conn.execute("PRAGMA user_version").fetchone()[0]
                if v > latest:
                    raise _newer(path, v, latest)
                if v < version:
                    for statement in split_sql(sql):
                        conn.execute(statement)
                    conn.execute("PRAGMA user_version = %d" % version)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

        with_busy_retry(conn, apply)
