-- The trials whose experiment reads LOST at @now (status/derived): a claim sets them FAILED
-- (experiments/set-status, final) with the note "LOST: its worker stopped beating; marked
-- FAILED by the sweep" added below its notes (sweeps/add-note) and, with requeueLost, set-requeue 1.
SELECT t.number, t.experiment_id FROM trials t JOIN experiments e ON e.id = t.experiment_id
  WHERE t.sweep_id = @sweep AND {status/derived} = 'LOST' ORDER BY t.number
