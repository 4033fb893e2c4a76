-- Live experiments that changed after @since for the dashboard's live view: a row, heartbeat
-- or point written since, or a derived status that turned LOST in [@since, @now] (the last sign
-- of life plus @lost_after_ms, bound from status/derived's number, falls in it).
SELECT e.id FROM experiments e
WHERE e.deleted_at IS NULL AND (
  e.updated_at > @since OR e.heartbeat_at > @since OR e.created_at > @since
  OR (e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) + @lost_after_ms BETWEEN @since AND @now)
  OR e.id IN (SELECT experiment_id FROM series WHERE last_time > @since)
)
