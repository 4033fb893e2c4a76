-- experiments/live-id in PostgreSQL: $1 the experiment's name.
SELECT id FROM experiments WHERE name = $1 AND deleted_at IS NULL
