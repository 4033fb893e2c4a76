-- A trial's requeue: 0, 1 (LOST, waiting to be re-run) or 2 (re-run).
UPDATE trials SET requeue = @requeue WHERE sweep_id = @sweep AND number = @number
