-- Keys of an experiment's points logged behind what was sent to one server.
-- Parameters: server, experiment id, limit.
SELECT l.series_id, l.step, l.seq FROM sync_late l JOIN series s ON s.id = l.series_id
WHERE l.server = ? AND s.experiment_id = ? ORDER BY l.series_id, l.step, l.seq LIMIT ?
