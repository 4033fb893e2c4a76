-- sweeps/values-at in PostgreSQL: a NaN value reads as none. The same parameters.
SELECT (SELECT NULLIF(p.value, 'NaN') FROM points p WHERE p.series_id = s.id AND p.step = @step ORDER BY p.seq DESC LIMIT 1) AS v
  FROM trials t JOIN experiments e ON e.id = t.experiment_id
  JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  WHERE t.sweep_id = @sweep AND e.status = @status
