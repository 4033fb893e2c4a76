-- An experiment's file records after the last one acknowledged, 20 at a time (each may carry an upload).
-- Parameters: experiment id, last acknowledged file_pointers id.
SELECT id, path, kind, step, size, mtime, sha256, meta FROM file_pointers WHERE experiment_id = ? AND id > ? ORDER BY id LIMIT 20
