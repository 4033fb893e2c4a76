-- The points of a series past a step, in table order: a tail to fold, or the points past
-- blocked_until to cut into blocks.
SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq
