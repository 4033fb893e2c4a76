-- sweeps/trials in PostgreSQL, where a NaN point is the float NaN: it reads as no value, as
-- SQLite's NULL does. The same parameters.
SELECT t.number, t.experiment_id, e.name AS exp, t.params, t.grid_index, t.requeue,
    {status/derived} AS status, e.heartbeat_at, e.updated_at,
    coalesce(t.value, (SELECT NULLIF(p.value, 'NaN') FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1)) AS value,
    (SELECT p.step FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1) AS last_step,
    t.created_at
  FROM trials t JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  WHERE t.sweep_id = @sweep ORDER BY t.number
