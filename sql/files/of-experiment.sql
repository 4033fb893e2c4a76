-- The files of experiment @id, of kind @kind unless it is NULL, in the order recorded.
SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at
FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id
WHERE f.experiment_id = @id AND (@kind IS NULL OR f.kind = @kind) ORDER BY f.id
