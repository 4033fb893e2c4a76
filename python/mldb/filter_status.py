"""The LOST rule and the SQL of each filter attribute, as src/query/status.ts."""

#: The heartbeat age after which an active experiment reads as LOST (ms).
LOST_AFTER_MS = 60_000

#: An experiment's derived status: active with a heartbeat older than LOST_AFTER_MS reads
#: as LOST. ``@now`` is replaced by bind_now with our own clock, never with user input.
STATUS_SQL = (
    "(CASE WHEN e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < (@now - %d)"
    " THEN 'LOST' ELSE e.status END)" % LOST_AFTER_MS
)

#: The SQL of each attribute over ``experiments e JOIN projects p``; ``@now`` as in STATUS_SQL.
ATTRIBUTE_SQL = {
    "name": "e.name",
    "project": "p.name",
    "status": STATUS_SQL,
    "host": "e.host",
    "notes": "e.notes",
    "created": "e.created_at",
    "started": "e.started_at",
    "ended": "e.ended_at",
    "updated": "e.updated_at",
    # a LOST run's duration stops at its last heartbeat
    "duration": "((coalesce(e.ended_at, CASE WHEN %s = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END)"
    " - e.started_at) / 1000.0)" % STATUS_SQL,
}


def bind_now(sql, now):
    """Puts the current time (an integer we made, never user input) where ``@now`` stands."""
    return sql.replace("@now", str(int(now)))
