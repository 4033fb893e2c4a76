-- The sweeps with their project's name, newest first; only the one named @name unless @name is NULL.
SELECT s.id, s.name, p.name AS project, s.config, s.state, s.created_at, s.updated_at
  FROM sweeps s JOIN projects p ON p.id = s.project_id
  WHERE CAST(@name AS TEXT) IS NULL OR s.name = @name ORDER BY s.created_at DESC, s.id DESC
