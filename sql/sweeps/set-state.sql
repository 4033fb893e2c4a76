-- A sweep's state: RUNNING or STOPPED (a stopped sweep hands out no trial).
UPDATE sweeps SET state = @state, updated_at = @now WHERE id = @id
