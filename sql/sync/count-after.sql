-- How many points lie past (step, seq). Parameters: series id, step, step, seq.
SELECT count(*) AS n FROM points WHERE series_id = ? AND (step > ? OR (step = ? AND seq > ?))
