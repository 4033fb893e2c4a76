-- Records an acknowledged range write: the new last key and how many more points the server holds.
-- Parameters: server, series id, step, seq, n, step, seq (the frontier, for a row made here).
INSERT INTO sync_series (server, series_id, step, seq, count, sent_step, sent_seq) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (server, series_id) DO UPDATE SET step = excluded.step, seq = excluded.seq, count = count + excluded.count
