-- listing/projects in PostgreSQL: names in byte order (COLLATE "C"), as SQLite sorts them.
SELECT p.name AS name, count(e.id) AS count FROM projects p
JOIN experiments e ON e.project_id = p.id AND e.deleted_at IS NULL
GROUP BY p.id ORDER BY p.name COLLATE "C"
