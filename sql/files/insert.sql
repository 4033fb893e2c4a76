-- Records a pointer to a file on disk (never the file). Parameters: experiment_id, path, kind,
-- step, size, mtime, sha256, meta (JSON text or NULL), created_at.
INSERT INTO file_pointers (experiment_id, path, kind, step, size, mtime, sha256, meta, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, path, kind, step, size, mtime, sha256, meta, created_at
