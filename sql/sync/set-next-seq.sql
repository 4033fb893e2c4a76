-- Moves the next sequence number past the writes just put in the outbox. Parameters: next seq, server.
UPDATE sync_servers SET next_seq = ? WHERE server = ?
