-- Hyperband's comparison: each other trial's best value up to @step (its max when @max is 1,
-- else its min), among trials other than @except whose series reached @step; NULL left out.
SELECT CASE WHEN @max = 1 THEN max(p.value) ELSE min(p.value) END AS v FROM trials t
  JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  JOIN points p ON p.series_id = s.id AND p.step <= @step
  WHERE t.sweep_id = @sweep AND t.number <> @except
    AND EXISTS (SELECT 1 FROM points q WHERE q.series_id = s.id AND q.step >= @step)
  GROUP BY s.id
