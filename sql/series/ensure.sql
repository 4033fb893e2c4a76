-- A series is created on its first point; its id is then read with series/id.
INSERT OR IGNORE INTO series (experiment_id, name, split) VALUES (?, ?, ?)
