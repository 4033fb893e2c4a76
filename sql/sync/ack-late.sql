-- Forgets a late point once the server acknowledged it. Parameters: server, series id, step, seq.
DELETE FROM sync_late WHERE server = ? AND series_id = ? AND step = ? AND seq = ?
