-- A trial's own metric series in step order, NaN (NULL) left out: what the pruners read of it.
SELECT p.step, p.value FROM points p JOIN series s ON s.id = p.series_id
  WHERE s.experiment_id = @experiment_id AND s.name = @name AND s.split = @split AND p.value IS NOT NULL
  ORDER BY p.step, p.seq
