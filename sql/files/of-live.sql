-- The files of every live experiment, or of experiment @id when it is not NULL, in the order recorded.
SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at
FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id
WHERE e.deleted_at IS NULL AND (@id IS NULL OR f.experiment_id = @id) ORDER BY f.id
