-- The first step (in step order, then the order logged) at which an experiment's series
-- holds a value, for `best`: @exp (the experiment's name), @name, @split, @value. No row: never.
SELECT p.step FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id
WHERE e.name = @exp AND s.name = @name AND s.split = @split AND p.value = @value ORDER BY p.step, p.seq LIMIT 1
