-- experiments/heartbeat-and-touch in PostgreSQL: $1 now, $2 id.
UPDATE experiments SET heartbeat_at = $1, updated_at = $1 WHERE id = $2
