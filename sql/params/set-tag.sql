-- A tag (plain text), replaced when the key is already set.
INSERT INTO tags (experiment_id, key, value) VALUES (?, ?, ?)
  ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
