-- updated_at tells live dashboards (/api/changes) that something changed.
UPDATE experiments SET updated_at = @now WHERE id = @id
