-- A file of a live experiment by its id (?), with the experiment's name. Columns in this order.
SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at
FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id WHERE f.id = ? AND e.deleted_at IS NULL
