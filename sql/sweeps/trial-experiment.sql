-- The experiment of one trial.
SELECT e.id, e.name FROM trials t JOIN experiments e ON e.id = t.experiment_id
  WHERE t.sweep_id = @sweep AND t.number = @number
