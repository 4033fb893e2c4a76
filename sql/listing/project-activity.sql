-- Projects with live experiments, the most recently active first (the latest updated_at or
-- heartbeat of their experiments, ms), then by name.
SELECT p.name AS name, count(e.id) AS count, max(max(e.updated_at, coalesce(e.heartbeat_at, 0))) AS latestAt
FROM projects p JOIN experiments e ON e.project_id = p.id AND e.deleted_at IS NULL
GROUP BY p.id ORDER BY latestAt DESC, p.name
