-- A timer's beat for a live experiment found by name (it may have been purged or trashed since).
UPDATE experiments SET heartbeat_at = @now WHERE name = @name AND deleted_at IS NULL
