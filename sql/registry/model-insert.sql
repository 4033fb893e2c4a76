-- A new model (tags: a JSON object of strings); last_version starts at 0. Returns its id.
INSERT INTO registered_models (name, description, tags, created_at, updated_at)
  VALUES (@name, @description, @tags, @now, @now) RETURNING id
