-- Puts a write in the outbox, exactly as it will be sent each time. Parameters: server, seq, method, path, body, ack.
INSERT INTO sync_outbox (server, seq, method, path, body, ack) VALUES (?, ?, ?, ?, ?, ?)
