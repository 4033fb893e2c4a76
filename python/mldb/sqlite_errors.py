"""The one place that turns SQLite's own failures into mldb exceptions (issue 8
item 6, issue 9 item 3): the same table and messages as
src/store/sqlite-errors.ts. sqlite3 says "database or disk is full" or "disk I/O
error" without naming the file or the way out; these name both and keep the code."""

import functools
import os
import sqlite3

from .errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseIoError,
    DiskFullError,
    MldbError,
    ReadOnlyDatabaseError,
)

# Python < 3.11 has no sqlite_errorname: SQLite's fixed English messages name the code.
_BY_MESSAGE = (
    ("database or disk is full", "SQLITE_FULL"),
    ("database is locked", "SQLITE_BUSY"),
    ("database table is locked", "SQLITE_LOCKED"),
    ("attempt to write a readonly database", "SQLITE_READONLY"),
    ("disk i/o error", "SQLITE_IOERR"),
    ("database disk image is malformed", "SQLITE_CORRUPT"),
    ("file is not a database", "SQLITE_NOTADB"),
    ("unable to open database file", "SQLITE_CANTOPEN"),
)


def sqlite_code(e):
    """SQLite's (extended) result code of a sqlite3 exception, or '' when it has none."""
    name = getattr(e, "sqlite_errorname", None)
    if isinstance(name, str) and name.startswith("SQLITE_"):
        return name
    if not isinstance(e, sqlite3.Error):
        return ""
    msg = str(e).lower()
    for text, code in _BY_MESSAGE:
        if text in msg:
            return code
    return ""


def _writable(path):
    """Whether SQLite could create files beside path and write it (False on a read-only mount or file)."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def sqlite_error(e, path, sql=None, busy_seconds=60):
    """The mldb exception for a failure SQLite reported while working on path (disk
    full, busy past the timeout, read-only, I/O error, corrupt file), or None when
    e is something else (an MldbError, a constraint, a bug).

    Example::

        try:
            conn.execute(sql)
        except sqlite3.Error as e:
            raise (sqlite_error(e, path) or e) from None
    """
    if isinstance(e, MldbError):
        return None
    code = sqlite_code(e)
    base = "_".join(code.split("_")[:2])
    if base == "SQLITE_FULL":
        return DiskFullError(
            "cannot write %s: the disk holding it is full (%s); free space on that file system (or move the database to a"
            " bigger one) and retry; nothing of this call was written" % (path, code),
            code,
            sql,
        )
    if base in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return DatabaseBusyError(
            "%s stayed locked by another process for over %g s (%s); find it with `fuser %s` (a long transaction or a"
            " stuck program), let it finish or stop it, and retry; nothing of this call was written"
            % (path, busy_seconds, code, path),
            code,
            sql,
        )
    if base == "SQLITE_CANTOPEN" and not _writable(path):
        return ReadOnlyDatabaseError(
            "cannot open %s: it or its folder is read-only, and SQLite must create %s-shm beside it even to read it (%s);"
            " make them writable, or copy the file somewhere writable" % (path, path, code),
            code,
            sql,
        )
    if base == "SQLITE_READONLY":
        return ReadOnlyDatabaseError(
            "cannot write %s: it is read-only (%s); make the file, its -wal and -shm files and its folder writable"
            " (SQLite needs to create -shm even to read), or copy it somewhere writable" % (path, code),
            code,
            sql,
        )
    if base == "SQLITE_IOERR":
        return DatabaseIoError(
            "the operating system failed a read or write of %s (%s); check the disk and the file system (dmesg), and"
            " that nothing moved or deleted the file or its -wal while it was open; then run `mldb doctor`" % (path, code),
            code,
            sql,
        )
    if base in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return CorruptDatabaseError(
            "%s is damaged or not an SQLite database (%s); run `mldb doctor` to see what is wrong, then restore a backup"
            " or `mldb export` what is still readable into a new file" % (path, code),
            code,
            sql,
        )
    return None


def map_sqlite_errors(cls, path_of, busy_seconds_of):
    """Wraps every method of cls so that SQLite's failures leave it as mldb
    exceptions: one wrapper at the API's edge rather than a try/except in each
    method, so new methods are covered without remembering to.

    Example::

        map_sqlite_errors(Database, lambda db: db.path, lambda db: 60)
    """
    for name, fn in list(vars(cls).items()):
        if name.startswith("__") or not callable(fn) or isinstance(fn, (staticmethod, classmethod, type)):
            continue

        def make(fn):
            @functools.wraps(fn)
            def wrapped(self, *args, **kwargs):
                try:
                    return fn(self, *args, **kwargs)
                except sqlite3.Error as e:
                    mapped = sqlite_error(e, path_of(self), busy_seconds=busy_seconds_of(self))
                    if mapped is None:
                        raise
                    raise mapped from e

            return wrapped

        setattr(cls, name, make(fn))
    return cls
