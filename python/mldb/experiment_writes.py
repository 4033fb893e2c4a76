"""The write helpers behind Database's calls, as src/api/experiment-writes.ts:
experiment, project and series ids found or created (and cached in the connection's
IdCache), and the heartbeat logging refreshes. Validation stays with the calls; these
run inside a write (transactions.py)."""

import os
import socket

from .errors import ValidationError
from .sql_files import sql
from .tail_append import HEARTBEAT_EVERY_MS

#: Statuses that set started_at once (and are kept alive by a heartbeat).
ACTIVE = frozenset(("TRAINING", "VALIDATING"))
#: Statuses that set ended_at.
FINAL = frozenset(("COMPLETE", "FAILED", "KILLED", "PRUNED"))


def project_id(db, project):
    """The id of the project, created when new."""
    db.connection.execute(sql("experiments/project-ensure"), (project, db._now()))
    return db.connection.execute(sql("experiments/project-id"), (project,)).fetchone()[0]


def ensure_exp(db, name, status="TRAINING", project="default"):
    """The id of a live experiment, created (TRAINING, in project) when new."""
    cached = db._ids.exps.get(name)
    if cached is not None:
        return cached
    conn = db.connection
    row = conn.execute(sql("experiments/by-name"), (name,)).fetchone()
    if row:
        if row[1] is not None:
            raise ValidationError(
                'experiment "%s" is in the trash; restore it (mldb restore) or use another name' % name, "experiment"
            )
        db._ids.exps[name] = row[0]
        return row[0]
    now = db._now()
    cur = conn.execute(
        sql("experiments/insert"),
        {
            "name": name,
            "project_id": project_id(db, project),
            "status": status,
            "now": now,
            "started_at": now if status in ACTIVE else None,
            "ended_at": now if status in FINAL else None,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        },
    )
    db._ids.exps[name] = cur.lastrowid
    return cur.lastrowid


def maybe_beat(db, eid, now):
    """Logging counts as a sign of life, at most every 10 s per experiment."""
    if now - db._beats.get(eid, 0) < HEARTBEAT_EVERY_MS:
        return
    db.connection.execute(sql("experiments/heartbeat-and-touch"), {"now": now, "id": eid})
    db._beats[eid] = now


def series_id(db, eid, name, split):
    """The id of the series, created when new (and cached)."""
    key = (eid, name, split)
    cached = db._ids.series.get(key)
    if cached is not None:
        return cached
    db.connection.execute(sql("series/ensure"), (eid, name, split))
    sid = db.connection.execute(sql("series/id"), (eid, name, split)).fetchone()[0]
    db._ids.series[key] = sid
    return sid
