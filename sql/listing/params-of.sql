-- The params of the experiments in @ids (a JSON array of ids), for the listing rows whose
-- experiment_lists row is missing: the stored JSON text, NULL when over @max_bytes (the
-- client shows a marker, docs/schema.md "Limits"), and its length in bytes.
SELECT experiment_id, key, CASE WHEN length(CAST(value AS BLOB)) > @max_bytes THEN NULL ELSE value END,
       length(CAST(value AS BLOB))
FROM params WHERE experiment_id IN (SELECT value FROM json_each(@ids)) ORDER BY experiment_id, key
