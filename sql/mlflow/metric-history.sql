-- One series' points of an experiment, live or trashed, in step order (equal steps in the
-- order logged), for MLflow's metric history and import: @experiment, @name, @split.
SELECT p.step, p.time, p.value FROM points p JOIN series s ON s.id = p.series_id
WHERE s.experiment_id = @experiment AND s.name = @name AND s.split = @split ORDER BY p.step, p.seq
