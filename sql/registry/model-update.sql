-- A model's description and tags (the caller merges new tags into the stored ones).
UPDATE registered_models SET description = @description, tags = @tags, updated_at = @now WHERE id = @id
