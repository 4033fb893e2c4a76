SELECT key, value FROM tags WHERE experiment_id = ? ORDER BY key
