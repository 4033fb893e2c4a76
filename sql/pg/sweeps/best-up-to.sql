-- sweeps/best-up-to in PostgreSQL: NaN values left out (PostgreSQL ranks NaN above every number).
SELECT CASE WHEN @max = 1 THEN max(NULLIF(p.value, 'NaN')) ELSE min(NULLIF(p.value, 'NaN')) END AS v FROM trials t
  JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  JOIN points p ON p.series_id = s.id AND p.step <= @step
  WHERE t.sweep_id = @sweep AND t.number <> @except
    AND EXISTS (SELECT 1 FROM points q WHERE q.series_id = s.id AND q.step >= @step)
  GROUP BY s.id
