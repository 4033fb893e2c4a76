-- An experiment's series with the last point acknowledged by one server ((BEFORE_FIRST_STEP = -2^53, -1) and 0 before any:
-- below every point, negative steps included; docs/schema.md, "Steps").
-- Parameters: server, experiment id. Columns: id, name, split, step, seq, count.
SELECT s.id, s.name, s.split, COALESCE(ss.step, -9007199254740992) AS step, COALESCE(ss.seq, -1) AS seq, COALESCE(ss.count, 0) AS count
FROM series s LEFT JOIN sync_series ss ON ss.server = ? AND ss.series_id = s.id WHERE s.experiment_id = ? ORDER BY s.id
