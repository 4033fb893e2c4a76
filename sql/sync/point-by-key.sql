-- One stored point by its key. Parameters: series id, step, seq.
SELECT step, seq, time, value FROM points WHERE series_id = ? AND step = ? AND seq = ?
