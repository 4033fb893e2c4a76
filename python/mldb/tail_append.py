"""The one-page path of ``Database.add_metric_value`` (docs/schema.md, "The tail of a
series"): a single INSERT into the series' tail, committed (durable) before it returns,
as src/api/database.ts's ``append``."""

import sqlite3

from .connection import is_busy, with_busy_retry
from .points import BLOCK_SIZE

#: How often plain logging calls refresh the heartbeat of their experiment (ms).
HEARTBEAT_EVERY_MS = 10_000


def append(db, e, n, s, step, v):
    """Appends one point of ``db`` (a Database) to the series' tail. Only for a series this
    connection has written before and between heartbeats; False sends the call down
    the transactional path. A function, not a method: the hot path skips the error
    mapping wrapper every method gets (add_metric_value's own maps its errors)."""
    eid = db._ids.exps.get(e)
    if eid is None or db._closed:
        return False
    sid = db._ids.series.get((eid, n, s))
    past = db._ids.past_blocked.get(sid)
    now = db._now()
    conn = db.connection
    if past is None or now - db._beats.get(eid, 0) >= HEARTBEAT_EVERY_MS or conn.in_transaction:
        return False
    writer = db._writer

    # Autocommit for this one statement: no BEGIN/COMMIT round trips, the INSERT is its own commit.
    conn.isolation_level = None
    try:
        try:
            ok = writer.append(sid, step, now, v)
        except sqlite3.OperationalError as err:
            if not is_busy(err):
                raise
            ok = with_busy_retry(conn, lambda: writer.append(sid, step, now, v))
    finally:
        conn.isolation_level = "DEFERRED"
    if not ok:
        return False
    db._wal_guard.after_commit()
    if past + 1 < BLOCK_SIZE:
        db._ids.past_blocked[sid] = past + 1
    else:
        # 64 points past the last block: fold them in and close a block, as a batch would.
        try:
            db._ids.past_blocked[sid] = db._write(lambda: writer.fold(sid))
        except Exception:
            # The point is committed and must not be reported lost; the next call folds.
            db._ids.past_blocked.pop(sid, None)
    return True
