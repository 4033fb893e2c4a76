-- The points of a range write: after `from`, up to and including `to`, less those noted late
-- (a late write sends them), so the body is the same on every resend.
-- Parameters: series id, from step, from step, from seq, to step, to step, to seq, server.
SELECT step, seq, time, value FROM points p
WHERE series_id = ? AND (step > ? OR (step = ? AND seq > ?)) AND (step < ? OR (step = ? AND seq <= ?))
  AND NOT EXISTS (SELECT 1 FROM sync_late l WHERE l.server = ? AND l.series_id = p.series_id AND l.step = p.step AND l.seq = p.seq)
ORDER BY step, seq
