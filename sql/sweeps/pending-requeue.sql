-- The oldest LOST trial waiting to be re-run (requeue = 1): the claim gives its params and
-- grid index to the new trial and sets it set-requeue 2.
SELECT number, params, grid_index FROM trials WHERE sweep_id = @sweep AND requeue = 1 ORDER BY number LIMIT 1
