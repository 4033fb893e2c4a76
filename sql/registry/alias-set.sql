-- Points an alias at a version (one version per alias per model). A move also appends
-- alias-history-add and runs model-touch, in the same transaction; a client skips all three
-- when the alias already points at that version.
INSERT INTO model_aliases (model_id, alias, version, updated_at) VALUES (@model_id, @alias, @version, @now)
  ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
