-- Whether some experiment (trashed ones included) has a param with key ?: a short filter name
-- such as `lr` may mean params.lr (docs/schema.md, "Filter language"). A row, or none.
SELECT 1 FROM params WHERE key = ? LIMIT 1
