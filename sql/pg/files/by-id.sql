-- files/by-id in PostgreSQL: $1 the file's id.
SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at
FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id WHERE f.id = $1 AND e.deleted_at IS NULL
