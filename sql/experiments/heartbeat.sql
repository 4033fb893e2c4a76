-- A sign of life (a timer's beat); the LOST rule reads it.
UPDATE experiments SET heartbeat_at = @now WHERE id = @id
