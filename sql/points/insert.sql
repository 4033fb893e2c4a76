-- A point at seq 0; nothing inserted when that step is taken (then insert-next-seq).
-- Arguments: series id, step, time, value.
INSERT OR IGNORE INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)
