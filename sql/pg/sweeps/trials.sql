-- sweeps/trials in PostgreSQL: $1 sweep id, $2 series name, $3 split; the client writes its
-- clock where @now stands (status/derived). A NaN point reads as no value, as SQLite's NULL.
SELECT t.number, t.experiment_id, e.name AS exp, t.params, t.grid_index, t.requeue,
    {status/derived} AS status, e.heartbeat_at, e.updated_at,
    coalesce(t.value, (SELECT NULLIF(p.value, 'NaN') FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1)) AS value,
    (SELECT p.step FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1) AS last_step,
    t.created_at
  FROM trials t JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN series s ON s.experiment_id = t.experiment_id AND s.name = $2 AND s.split = $3
  WHERE t.sweep_id = $1 ORDER BY t.number
