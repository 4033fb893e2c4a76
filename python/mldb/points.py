"""Writing points while keeping ``series`` and ``point_blocks`` in step with them,
statement for statement as src/store/points.ts does, so that whichever client
logged a series, its summary rows are the same. Callers wrap each call in a
transaction, except ``append``: one point past ``series.last_step`` joins the
series' tail in one autocommit INSERT (one page), folded into the summary later
(migration 006, docs/schema.md "The tail of a series")."""

import math

#: Points per closed block in point_blocks (see migrations/001-initial.sql).
BLOCK_SIZE = 64
_MIN_SAFE_INTEGER = -(2**53 - 1)


def from_sql(v):
    """SQLite hands NaN back as NULL; we hand it back as NaN."""
    return math.nan if v is None else float(v)


_SUMMARY = """
  first_step = CASE WHEN first_step IS NULL OR :first_step < first_step THEN :first_step ELSE first_step END,
  last_time  = CASE WHEN last_step IS NULL OR :last_step >= last_step THEN :last_time ELSE last_time END,
  last_value = CASE WHEN last_step IS NULL OR :last_step >= last_step THEN :last_value ELSE last_value END,
  last_step  = CASE WHEN last_step IS NULL OR :last_step >= last_step THEN :last_step ELSE last_step END,
  min_value  = CASE WHEN :min IS NULL THEN min_value WHEN min_value IS NULL OR :min < min_value THEN :min ELSE min_value END,
  max_value  = CASE WHEN :max IS NULL THEN max_value WHEN max_value IS NULL OR :max > max_value THEN :max ELSE max_value END,
  nan_count  = nan_count + :nan"""

# seq 0 first; a second value at the same step takes the next seq (rare path).
_INSERT = "INSERT OR IGNORE INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)"
_INSERT_DUPLICATE = (
    "INSERT INTO points (series_id, step, seq, time, value) VALUES "
    "(:id, :step, (SELECT max(seq) + 1 FROM points WHERE series_id = :id AND step = :step), :time, :value)"
)
# No RETURNING: Python may be linked against an SQLite older than 3.35.
_UPDATE_ONE = (
    "UPDATE series SET count = count + 1, " + _SUMMARY + ",\n"
    "  unblocked = unblocked + (blocked_until IS NULL OR :last_step > blocked_until) WHERE id = :id"
)
_UPDATE_MANY = "UPDATE series SET count = count + :n, " + _SUMMARY + ", unblocked = unblocked + :past WHERE id = :id"
_READ_STATE = "SELECT blocked_until, unblocked FROM series WHERE id = ?"
_READ_PENDING = "SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq"
_INSERT_BLOCK = (
    "INSERT INTO point_blocks (series_id, first_step, last_step, count, min_value, max_value, last_value, "
    "last_time, nan_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MARK_BLOCKED = "UPDATE series SET blocked_until = ?, unblocked = ? WHERE id = ?"
# The check and the insert in one statement: one atomic commit of one page.
_APPEND = (
    "INSERT OR IGNORE INTO points (series_id, step, seq, time, value) SELECT id, :step, 0, :time, :value"
    " FROM series WHERE id = :id AND tail = 1 AND :step > coalesce(last_step, -1)"
)
_READ_FOLD = "SELECT last_step, blocked_until, unblocked, tail FROM series WHERE id = ?"
_READ_TAIL = "SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq"
_MARK_TAIL = "UPDATE series SET tail = ? WHERE id = ?"
#: The series whose tail a reader folds before reading summaries.
OPEN_TAILS = "SELECT id FROM series WHERE tail = 1"
# All SET expressions read the old row; equal steps: the later-logged point is the
# block's last (as for the series summary). Identical to src/store/points.ts, @-named
# parameters included (sqlite3 binds a dict by name whatever the prefix).
_WIDEN_BLOCK = """UPDATE point_blocks SET
    count = count + 1,
    min_value = CASE WHEN @value IS NULL THEN min_value WHEN min_value IS NULL OR @value < min_value THEN @value ELSE min_value END,
    max_value = CASE WHEN @value IS NULL THEN max_value WHEN max_value IS NULL OR @value > max_value THEN @value ELSE max_value END,
    nan_count = nan_count + (@value IS NULL),
    last_value = CASE WHEN @step >= last_step THEN @value ELSE last_value END,
    last_time = CASE WHEN @step >= last_step THEN @time ELSE last_time END,
    last_step = CASE WHEN @step > last_step THEN @step ELSE last_step END,
    first_step = min(first_step, @step)
  WHERE series_id = @id AND first_step = coalesce(
    (SELECT max(first_step) FROM point_blocks WHERE series_id = @id AND first_step <= @step),
    (SELECT min(first_step) FROM point_blocks WHERE series_id = @id))"""


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
        tail = self.conn.execute(_READ_TAIL, (series_id, -1 if last_step is None else last_step)).fetchall()
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
            _READ_PENDING, (series_id, _MIN_SAFE_INTEGER if blocked_until is None else blocked_until)
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
