-- A sweep's trials by number with what samplers, pruners and listings read: the experiment's
-- status as readers see it (LOST derived at @now, status/derived), and the value: trials.value,
-- else the last point of the metric's series (@name, @split) (NULL: none yet, or NaN), with
-- the step of that point. The last point is read from points, not from the series' summary,
-- which a writer may bring up to date later than the point itself.
SELECT t.number, t.experiment_id, e.name AS exp, t.params, t.grid_index, t.requeue,
    {status/derived} AS status, e.heartbeat_at, e.updated_at,
    coalesce(t.value, (SELECT p.value FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1)) AS value,
    (SELECT p.step FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1) AS last_step,
    t.created_at
  FROM trials t JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  WHERE t.sweep_id = @sweep ORDER BY t.number
