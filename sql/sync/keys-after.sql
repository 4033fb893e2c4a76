-- The keys of at most `limit` points past (step, seq), in order: what a range write covers.
-- Parameters: series id, step, step, seq, limit.
SELECT step, seq FROM points WHERE series_id = ? AND (step > ? OR (step = ? AND seq > ?)) ORDER BY step, seq LIMIT ?
