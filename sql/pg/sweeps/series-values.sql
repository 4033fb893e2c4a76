-- sweeps/series-values in PostgreSQL: NaN points (the float NaN) left out. The same parameters.
SELECT p.step, p.value FROM points p JOIN series s ON s.id = p.series_id
  WHERE s.experiment_id = @experiment_id AND s.name = @name AND s.split = @split AND p.value <> 'NaN'
  ORDER BY p.step, p.seq
