-- A model changed (an alias moved): its updated_at is @now.
UPDATE registered_models SET updated_at = @now WHERE id = @id
