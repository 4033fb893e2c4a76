-- Live experiments (all, or those touched since a time) with their sync rows for one server.
-- Parameters: server, since (ms or NULL), since, since. Columns in this order (the Python client reads them by position).
SELECT e.id, e.name, p.name AS project, e.host, e.pid, e.notes,
       s.experiment_id AS s_id, s.uuid, s.remote_name, s.created, s.status_id, s.params, s.tags, s.notes AS s_notes, s.file_id
FROM experiments e JOIN projects p ON p.id = e.project_id
LEFT JOIN sync_experiments s ON s.server = ? AND s.experiment_id = e.id
WHERE e.deleted_at IS NULL AND (? IS NULL OR e.updated_at >= ? OR COALESCE(e.heartbeat_at, 0) >= ? OR s.experiment_id IS NULL)
ORDER BY e.id
