-- Marks a write the server refused for good (kept for `mldb sync --pending`). Parameters: error, server, seq.
UPDATE sync_outbox SET error = ? WHERE server = ? AND seq = ?
