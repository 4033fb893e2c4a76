-- Whether some experiment (trashed ones included) has a series named ? in split ?: a short
-- filter name such as `valid/loss` may mean metrics.valid/loss. A row, or none.
SELECT 1 FROM series WHERE name = ? AND split = ? LIMIT 1
