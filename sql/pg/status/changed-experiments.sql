-- status/changed-experiments in PostgreSQL: $1 since, $2 now, $3 LOST_AFTER_MS (all ms).
SELECT e.id FROM experiments e
WHERE e.deleted_at IS NULL AND (
  e.updated_at > $1 OR e.heartbeat_at > $1 OR e.created_at > $1
  OR (e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) + $3 BETWEEN $1 AND $2)
  OR e.id IN (SELECT experiment_id FROM series WHERE last_time > $1)
)
