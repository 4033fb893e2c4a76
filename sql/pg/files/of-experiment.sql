-- files/of-experiment in PostgreSQL: $1 the experiment's id, $2 a kind or NULL for all.
SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at
FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id
WHERE f.experiment_id = $1 AND ($2::text IS NULL OR f.kind = $2) ORDER BY f.id
