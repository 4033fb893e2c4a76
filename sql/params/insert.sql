-- A param (JSON text); a key already set keeps its value.
INSERT OR IGNORE INTO params (experiment_id, key, value) VALUES (?, ?, ?)
