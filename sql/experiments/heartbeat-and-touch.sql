-- Logging is a sign of life and a change (at most every 10 s per experiment).
UPDATE experiments SET heartbeat_at = @now, updated_at = @now WHERE id = @id
