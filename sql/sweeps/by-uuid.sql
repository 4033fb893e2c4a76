-- The trial a remote agent claimed, by the mldb.uuid tag of its experiment (a retried claim).
SELECT t.number, e.name AS exp, t.params FROM trials t JOIN experiments e ON e.id = t.experiment_id
  JOIN tags g ON g.experiment_id = e.id AND g.key = 'mldb.uuid'
  WHERE t.sweep_id = @sweep AND g.value = @uuid
