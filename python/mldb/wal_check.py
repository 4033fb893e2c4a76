"""Detects a ``-wal`` file deleted (or cut short) while a process had the
database open; the same check as src/store/wal-check.ts. SQLite keeps writing
into the deleted file through its open descriptor, and the next process to open
the path finds the -shm index promising frames the new, empty -wal lacks: its
first read fails with a bare "disk I/O error". The layout is SQLite's
WalIndexHdr (https://www.sqlite.org/walformat.html), in native byte order; both
copies must agree, otherwise a writer is mid-update and nothing can be concluded."""

import os
import struct
import sys
import time

from .errors import DatabaseIoError

_WAL_HEADER = 32
_FRAME_HEADER = 24


def _index_header(shm):
    try:
        with open(shm, "rb") as f:
            buf = f.read(96)
    except OSError:
        return None
    if len(buf) < 96 or buf[:48] != buf[48:96] or not buf[12]:
        return None
    order = "<" if sys.byteorder == "little" else ">"
    size, max_frame = struct.unpack_from(order + "HI", buf, 14)
    # szPage holds 65536 as 1 (it does not fit 16 bits)
    return (65536 if size == 1 else size), max_frame


def _missing_wal_bytes(path):
    h = _index_header(path + "-shm")
    if h is None or h[1] == 0:
        return 0
    need = _WAL_HEADER + h[1] * (h[0] + _FRAME_HEADER)
    wal = path + "-wal"
    have = os.path.getsize(wal) if os.path.exists(wal) else 0
    return max(0, need - have)


def assert_wal_intact(path):
    """Raises DatabaseIoError when path's -wal was deleted or cut short under a process
    that still has it open. Checked twice, a moment apart, so a writer resetting its
    WAL at the very moment of the first look is not mistaken for it.

    Example::

        assert_wal_intact('/data/mldb.db')
    """
    if path == ":memory:" or _missing_wal_bytes(path) == 0:
        return
    time.sleep(0.05)
    if _missing_wal_bytes(path) == 0:
        return
    raise DatabaseIoError(
        "%s-wal was deleted or cut short while a process had %s open: %s-shm indexes writes that the -wal no longer"
        " holds. Let the processes using it (`fuser %s`) finish: the last one to close writes those values back."
        " If they are gone, delete %s-shm to open what %s itself holds (values since its last checkpoint are lost)"
        % (path, path, path, path, path, path),
        "SQLITE_IOERR_SHORT_READ",
    )
