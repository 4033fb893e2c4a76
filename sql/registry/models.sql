-- The registered models by name, each with its number of versions and its newest version
-- (NULL: none); only the one named @name unless @name is NULL (the CAST lets PostgreSQL type it).
SELECT m.id, m.name, m.description, m.tags, m.last_version, m.created_at, m.updated_at,
    (SELECT count(*) FROM model_versions v WHERE v.model_id = m.id) AS version_count,
    (SELECT max(version) FROM model_versions v WHERE v.model_id = m.id) AS latest
  FROM registered_models m WHERE CAST(@name AS TEXT) IS NULL OR m.name = @name ORDER BY m.name
