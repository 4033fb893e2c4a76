-- An experiment's series with the last point acknowledged by one server ((-1, -1) and 0 before any).
-- Parameters: server, experiment id. Columns: id, name, split, step, seq, count.
SELECT s.id, s.name, s.split, COALESCE(ss.step, -1) AS step, COALESCE(ss.seq, -1) AS seq, COALESCE(ss.count, 0) AS count
FROM series s LEFT JOIN sync_series ss ON ss.server = ? AND ss.series_id = s.id WHERE s.experiment_id = ? ORDER BY s.id
