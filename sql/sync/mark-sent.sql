-- Records the frontier of a range write handed to the outbox (before it is acknowledged); the
-- points_behind_sync trigger (late-trigger.sql) notes later points at or behind it.
-- Parameters: server, series id, step, seq. A row made here has acknowledged nothing yet:
-- (BEFORE_FIRST_STEP = -2^53, -1), below every point (docs/schema.md, "Steps").
INSERT INTO sync_series (server, series_id, step, seq, count, sent_step, sent_seq) VALUES (?, ?, -9007199254740992, -1, 0, ?, ?)
ON CONFLICT (server, series_id) DO UPDATE SET sent_step = excluded.sent_step, sent_seq = excluded.sent_seq
