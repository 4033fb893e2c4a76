-- An experiment's own fields as json_object's key/value arguments, over `experiments e JOIN
-- projects p` (not a statement: listing/experiments-json and experiments-compact include it).
-- durationMs stops at the last sign of life of a LOST run and runs on to @now for a live one.
'id', e.id, 'name', e.name, 'project', p.name, 'status', {status/derived}, 'storedStatus', e.status,
'createdAt', e.created_at, 'startedAt', e.started_at, 'endedAt', e.ended_at, 'updatedAt', e.updated_at,
'heartbeatAt', e.heartbeat_at,
'durationMs', CASE WHEN e.started_at IS NULL THEN NULL
  ELSE coalesce(e.ended_at, CASE WHEN {status/derived} = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at END,
'host', e.host, 'pid', e.pid, 'notes', e.notes, 'deletedAt', e.deleted_at
