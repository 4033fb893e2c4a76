-- A new sweep (config: the normalised config as JSON, docs/schema.md), RUNNING. Returns its id.
INSERT INTO sweeps (name, project_id, config, state, created_at, updated_at)
  VALUES (@name, @project_id, @config, 'RUNNING', @now, @now) RETURNING id
