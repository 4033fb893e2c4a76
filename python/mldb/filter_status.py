"""The LOST rule and the SQL of each filter attribute, as src/query/status.ts. The rule
itself is ``sql/status/derived.sql``, read by both clients."""

import re

from .sql_files import sql

#: An experiment's derived status: active with a heartbeat older than LOST_AFTER_MS reads
#: as LOST. ``@now`` is replaced by bind_now with our own clock, never with user input.
STATUS_SQL = sql("status/derived")


def _lost_after_ms(rule):
    m = re.search(r"@now - (\d+)\)", rule)
    if m is None:
        raise RuntimeError('mldb: sql/status/derived.sql no longer reads "(@now - <ms>)"; update LOST_AFTER_MS with it')
    return int(m.group(1))


#: The heartbeat age after which an active experiment reads as LOST (ms): the number in STATUS_SQL.
LOST_AFTER_MS = _lost_after_ms(STATUS_SQL)

#: The SQL of each attribute over ``experiments e JOIN projects p`` (sql/filter/attr-*.sql, shared with
#: TypeScript); ``@now`` as in STATUS_SQL.
ATTRIBUTE_SQL = {
    "name": sql("filter/attr-name"),
    "project": sql("filter/attr-project"),
    "status": STATUS_SQL,
    "host": sql("filter/attr-host"),
    "notes": sql("filter/attr-notes"),
    "created": sql("filter/attr-created"),
    "started": sql("filter/attr-started"),
    "ended": sql("filter/attr-ended"),
    "updated": sql("filter/attr-updated"),
    # a LOST run's duration stops at its last heartbeat (sql/status/duration.sql, shared with TypeScript)
    "duration": sql("status/duration"),
}


def bind_now(sql_text, now):
    """Puts the current time (an integer we made, never user input) where ``@now`` stands."""
    return sql_text.replace("@now", str(int(now)))
