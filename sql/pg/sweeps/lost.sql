-- sweeps/lost in PostgreSQL: $1 sweep id; the client writes its clock where @now stands.
SELECT t.number, t.experiment_id FROM trials t JOIN experiments e ON e.id = t.experiment_id
  WHERE t.sweep_id = $1 AND {status/derived} = 'LOST' ORDER BY t.number
