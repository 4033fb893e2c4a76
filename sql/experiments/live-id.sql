SELECT id FROM experiments WHERE name = ? AND deleted_at IS NULL
