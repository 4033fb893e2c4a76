-- The writes handed to a server and not yet acknowledged, in the order they are sent. Parameters: server.
SELECT seq, method, path, body, ack, error FROM sync_outbox WHERE server = ? ORDER BY seq
