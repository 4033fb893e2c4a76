-- How many of an experiment's late points wait for one server. Parameters: server, experiment id.
SELECT count(*) AS n FROM sync_late l JOIN series s ON s.id = l.series_id WHERE l.server = ? AND s.experiment_id = ?
