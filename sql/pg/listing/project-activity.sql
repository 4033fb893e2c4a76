-- listing/project-activity in PostgreSQL (GREATEST for SQLite's two-argument max; names in byte order).
SELECT p.name AS name, count(e.id)::int AS count, max(GREATEST(e.updated_at, coalesce(e.heartbeat_at, 0)))::float8 AS "latestAt"
FROM projects p JOIN experiments e ON e.project_id = p.id AND e.deleted_at IS NULL
GROUP BY p.id ORDER BY "latestAt" DESC, p.name COLLATE "C"
