-- Takes a model's next version number, inside the registration's write transaction:
-- last_version + 1, so a number is never given twice, even after its version is gone.
UPDATE registered_models SET last_version = last_version + 1, updated_at = @now WHERE id = @id RETURNING last_version
