-- Gives an experiment its uuid and its name on a server (with its creation write).
-- Parameters: server, experiment id, uuid, name on the server.
INSERT OR IGNORE INTO sync_experiments (server, experiment_id, uuid, remote_name) VALUES (?, ?, ?, ?)
