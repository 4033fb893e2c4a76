-- The file's row for a server, made on first use with a new client id. Parameters: server, a new uuid.
INSERT OR IGNORE INTO sync_servers (server, client, next_seq) VALUES (?, ?, 1)
