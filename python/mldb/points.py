"""Writing points while keeping ``series`` and ``point_blocks`` in step with them,
running the same named statements (sql/) as src/store/points.ts, so that whichever
client logged a series, its summary rows are the same. Callers wrap each call in a
transaction, except ``append``: one point past ``series.last_step`` joins the
series' tail in one autocommit INSERT (one page), folded into the summary later
(migration 006, docs/schema.md "The tail of a series")."""

import math

from .sql_files import sql
from .validate import BEFORE_FIRST_STEP

#: Points per closed block in point_blocks (see migrations/001-initial.sql).
BLOCK_SIZE = 64


def from_sql(v):
    """SQLite hands NaN back as NULL; we hand it back as NaN."""
    return math.nan if v is None else float(v)


# The statements are the repository's sql/points/*.sql and sql/series/*.sql, shared with
# src/store/points.ts: both clients leave the same rows, whichever logged a series.
_INSERT = sql("points/insert")
_INSERT_DUPLICATE = sql("points/insert-next-seq")
_UPDATE_ONE = sql("series/add-one")
_UPDATE_MANY = sql("series/add-many")
_READ_STATE = sql("series/block-state")
_READ_PENDING = sql("points/after-step")
_INSERT_BLOCK = sql("points/block-insert")
_MARK_BLOCKED = sql("series/set-blocked")
_APPEND = sql("points/append-tail")
_READ_FOLD = sql("series/fold-state")
_READ_TAIL = _READ_PENDING
_MARK_TAIL = sql("series/set-tail")
#: The series whose tail a reader folds before reading summaries.
OPEN_TAILS = sql("series/open-tails")
_WIDEN_BLOCK = sql("points/block-widen")


def _sql_value(v):
    # Python's sqlite3 already binds NaN as NULL; say so rather than rely on it.
    return None if math.isnan(v) else v


class PointWriter:
    """Writes points of one connection. A point is ``(step, time_ms, value)``."""

    def __init__(self, conn):
        self.conn = conn

    def _insert_point(self, series_id, step, t, value):
        v = _sql_value(value)
        if self.conn.execute(_INSERT, (series_id, step, t, v)).rowcount == 0:
            self.conn.execute(_INSERT_DUPLICATE, {"id": series_id, "step": step, "time": t, "value": v})

    def append(self, series_id, step, t, value):
        """The hot path: one point into the series' tail, one statement. False when the
        series has no tail open, the step is not past its summary or is taken, or the
        series is gone; the caller then takes write_one in a transaction. The caller commits."""
        return self.conn.execute(
            _APPEND, {"id": series_id, "step": step, "time": t, "value": _sql_value(value)}
        ).rowcount == 1

    def write_one(self, series_id, step, t, value, open_tail=True):
        """One point inside a transaction; opens the series' tail for later appends
        and folds it. Returns how many points lie past blocked_until afterwards."""
        state = self.conn.execute(_READ_FOLD, (series_id,)).fetchone()
        if state is None:
            raise StaleIdError("series %d" % series_id)
        last_step, _, _, tail = state
        if last_step is None or step > last_step:
            # Past the summary: it joins the tail, which the fold below takes in.
            self._insert_point(series_id, step, t, value)
            if open_tail and tail == 0:
                self.conn.execute(_MARK_TAIL, (1, series_id))
            return self.fold(series_id)
        self._insert_point(series_id, step, t, value)
        nan = math.isnan(value)
        v = None if nan else value
        self.conn.execute(
            _UPDATE_ONE,
            {
                "id": series_id,
                "first_step": step,
                "last_step": step,
                "last_time": t,
                "last_value": v,
                "min": v,
                "max": v,
                "nan": 1 if nan else 0,
            },
        )
        blocked_until = self.conn.execute(_READ_STATE, (series_id,)).fetchone()[0]
        if blocked_until is not None and step <= blocked_until:
            self.conn.execute(_WIDEN_BLOCK, {"id": series_id, "step": step, "time": t, "value": v})
        return self.fold(series_id)

    def fold(self, series_id):
        """Folds the series' tail (its points past last_step) into its summary, then
        closes blocks once 64 points lie past blocked_until: the rows an eager writer
        would have left. Inside a transaction. Returns the points past blocked_until
        afterwards; 0 when the series is gone."""
        state = self.conn.execute(_READ_FOLD, (series_id,)).fetchone()
        if state is None:
            return 0
        last_step, blocked_until, unblocked, _ = state
        tail = self.conn.execute(_READ_TAIL, (series_id, BEFORE_FIRST_STEP if last_step is None else last_step)).fetchall()
        if tail:
            lo = math.inf
            hi = -math.inf
            nan = 0
            for _, _, v in tail:
                if v is None:
                    nan += 1
                else:
                    if v < lo:
                        lo = v
                    if v > hi:
                        hi = v
            # In (step, seq) order: the first row has the least step, the last is the latest-logged at the greatest.
            first = tail[0]
            last = tail[-1]
            any_value = nan < len(tail)
            self.conn.execute(
                _UPDATE_MANY,
                {
                    "id": series_id,
                    "n": len(tail),
                    "first_step": first[0],
                    "last_step": last[0],
                    "last_time": last[1],
                    "last_value": last[2],
                    "min": lo if any_value else None,
                    "max": hi if any_value else None,
                    "nan": nan,
                    "past": len(tail),  # every tail step is past last_step >= blocked_until
                },
            )
            unblocked += len(tail)
        if unblocked >= BLOCK_SIZE:
            unblocked = self._close_blocks(series_id, self._pending(series_id, blocked_until))
        return unblocked

    def close_tail(self, series_id):
        """Folds the tail of the series and marks it closed (tail = 0). Inside a transaction."""
        self.fold(series_id)
        self.conn.execute(_MARK_TAIL, (0, series_id))

    def write_many(self, series_id, points):
        """Many points of one series: the tail folded first, then one summary update and
        blocks built from memory. Returns the points past blocked_until afterwards."""
        if len(points) == 1:
            return self.write_one(series_id, *points[0], open_tail=False)
        if self.conn.execute(_READ_STATE, (series_id,)).fetchone() is None:
            raise StaleIdError("series %d" % series_id)
        folded = self.fold(series_id)
        if not points:
            return folded
        bu, unblocked = self.conn.execute(_READ_STATE, (series_id,)).fetchone()
        fresh = []  # points past the last block
        lo = math.inf
        hi = -math.inf
        nan = 0
        first = last = points[0]
        for p in points:
            value = p[2]
            if math.isnan(value):
                nan += 1
            else:
                if value < lo:
                    lo = value
                if value > hi:
                    hi = value
            if p[0] < first[0]:
                first = p
            if p[0] >= last[0]:
                last = p
            if bu is None or p[0] > bu:
                fresh.append(p)
        # Points still past the last block, read before this batch lands.
        pending = self._pending(series_id, bu) if unblocked + len(fresh) >= BLOCK_SIZE else None
        for step, t, value in points:
            self._insert_point(series_id, step, t, value)
            if bu is not None and step <= bu:
                self.conn.execute(
                    _WIDEN_BLOCK, {"id": series_id, "step": step, "time": t, "value": _sql_value(value)}
                )
        any_value = nan < len(points)
        self.conn.execute(
            _UPDATE_MANY,
            {
                "id": series_id,
                "n": len(points),
                "first_step": first[0],
                "last_step": last[0],
                "last_time": last[1],
                "last_value": _sql_value(last[2]),
                "min": lo if any_value else None,
                "max": hi if any_value else None,
                "nan": nan,
                "past": len(fresh),
            },
        )
        if pending is None:
            return unblocked + len(fresh)
        # Stable sort: at equal steps, earlier rows (lower seq) stay first, as in the table.
        return self._close_blocks(series_id, sorted(pending + fresh, key=lambda p: p[0]))

    def _pending(self, series_id, blocked_until):
        rows = self.conn.execute(
            _READ_PENDING, (series_id, BEFORE_FIRST_STEP if blocked_until is None else blocked_until)
        ).fetchall()
        return [(step, t, from_sql(v)) for step, t, v in rows]

    def _close_blocks(self, series_id, points):
        """Cuts points (all past blocked_until, in table order) into blocks of at least
        64 points; a block never ends between two points of the same step, so
        "step <= blocked_until" tells exactly which points a block holds. Returns the
        points left past blocked_until."""
        start = 0
        last_closed = None
        while len(points) - start >= BLOCK_SIZE:
            end = start + BLOCK_SIZE  # exclusive
            while end < len(points) and points[end][0] == points[end - 1][0]:
                end += 1
            lo = math.inf
            hi = -math.inf
            nan = 0
            for i in range(start, end):
                value = points[i][2]
                if math.isnan(value):
                    nan += 1
                else:
                    if value < lo:
                        lo = value
                    if value > hi:
                        hi = value
            first_p = points[start]
            last_p = points[end - 1]
            any_value = nan < end - start
            self.conn.execute(
                _INSERT_BLOCK,
                (
                    series_id,
                    first_p[0],
                    last_p[0],
                    end - start,
                    lo if any_value else None,
                    hi if any_value else None,
                    _sql_value(last_p[2]),
                    last_p[1],
                    nan,
                ),
            )
            last_closed = last_p[0]
            start = end
        if last_closed is not None:
            self.conn.execute(_MARK_BLOCKED, (last_closed, len(points) - start, series_id))
        return len(points) - start


class StaleIdError(Exception):
    """A series id cached by the caller is gone (another process purged its
    experiment); the caller forgets its ids and tries again from the names."""
