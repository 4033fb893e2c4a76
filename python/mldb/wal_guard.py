"""Keeps the -wal bounded under sustained writers, as src/store/wal-guard.ts does
(issue 8 item 8: 272 MB of WAL beside a 101 MB database after 60 s of 8
writers). SQLite's automatic checkpoint is PASSIVE and can start the WAL over
only when no other connection reads an older snapshot, which with busy writers
is almost never. journal_size_limit (set in connection.py) trims the file when
a restart does happen; this guard forces one when the file passes the limit
anyway. Training loops never idle, so it counts commits instead of using a
timer: one stat of the -wal per CHECK_EVERY commits, and a TRUNCATE checkpoint
only when the file is over."""

import os
import random
import time

#: Above this the -wal is checkpointed and truncated; also the journal_size_limit.
WAL_LIMIT_BYTES = 32 * 1024 * 1024
#: Commits between two looks at the -wal's size.
CHECK_EVERY = 64
#: How long one checkpoint try waits for the write lock and for readers, in ms.
CHECKPOINT_WAIT_MS = 100
#: How long tries go on while another connection's checkpoint runs, in seconds.
GIVE_UP_S = 1.0


class WalGuard:
    """Call ``after_commit()`` after each committed write transaction.

    Example::

        guard = WalGuard(conn, path, 10000)
        conn.execute("COMMIT"); guard.after_commit()
    """

    def __init__(self, conn, path, busy_timeout_ms):
        self._conn = conn
        self._wal = path + "-wal"
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._commits = 0

    def after_commit(self):
        """Every CHECK_EVERY commits, checkpoints and truncates the -wal if it has grown past WAL_LIMIT_BYTES."""
        self._commits += 1
        if self._commits < CHECK_EVERY:
            return
        self._commits = 0
        try:
            size = os.stat(self._wal).st_size
        except OSError:
            return
        if size <= WAL_LIMIT_BYTES or self._conn.in_transaction:
            return
        conn = self._conn
        try:
            # A short busy timeout bounds how long this one call can stall its caller (~1 s at worst).
            conn.execute("PRAGMA busy_timeout = %d" % CHECKPOINT_WAIT_MS)
            until = time.monotonic() + GIVE_UP_S
            while time.monotonic() < until:
                # Another connection's automatic checkpoint holds the checkpoint lock most of the
                # time under load, and SQLite then answers busy at once: try again for a little while.
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if busy == 0:
                    return
                time.sleep(0.002 + random.random() * 0.008)
        except Exception:  # noqa: BLE001 - the data is committed; the next look tries again
            pass
        finally:
            try:
                conn.execute("PRAGMA busy_timeout = %d" % self._busy_timeout_ms)
            except Exception:  # noqa: BLE001 - never fail the write that was just committed
                pass
