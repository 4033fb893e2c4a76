-- A series' values past a step, in step order (equal steps in the order logged); LIMIT -1 is all.
SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq LIMIT ?
