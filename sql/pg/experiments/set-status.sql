-- experiments/set-status in PostgreSQL: $1 status, $2 now, $3 active (boolean), $4 final (boolean), $5 id.
UPDATE experiments SET status = $1, updated_at = $2, heartbeat_at = $2,
    started_at = CASE WHEN started_at IS NULL AND $3 THEN $2 ELSE started_at END,
    ended_at = CASE WHEN $4 THEN $2 ELSE NULL END
  WHERE id = $5
