"""The row ids a Database connection has looked up, so that logging a value does not
look its experiment and series up by name each time, and how many points of each
series lie past its last block (when its tail is folded). As src/api/id-cache.ts.

An id is only a hint: another process may purge its row (the write then finds it
gone, and the caller forgets and retries from the names), and a transaction that
rolls back takes back the rows it created, whose ids SQLite may hand out again. So
the caller forgets everything when a transaction it cached ids in does not commit.
Plain dicts, read directly on the logging hot path."""


class IdCache:
    __slots__ = ("exps", "series", "past_blocked")

    def __init__(self):
        #: experiment name -> id
        self.exps = {}
        #: (experiment id, name, split) -> series id
        self.series = {}
        #: series id -> points past blocked_until, for the series this connection logs into
        self.past_blocked = {}

    def forget(self):
        """Drops everything: a transaction that cached ids rolled back, or an id was found stale."""
        self.exps.clear()
        self.series.clear()
        self.past_blocked.clear()
