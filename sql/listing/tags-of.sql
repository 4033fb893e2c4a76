-- The tags of the experiments in @ids (a JSON array of ids), as listing/params-of.
SELECT experiment_id, key, value FROM tags WHERE experiment_id IN (SELECT value FROM json_each(@ids)) ORDER BY experiment_id, key
