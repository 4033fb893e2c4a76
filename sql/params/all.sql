SELECT key, value FROM params WHERE experiment_id = ? ORDER BY key
