-- Notes, per server, a point logged at or behind the frontier a sender handed to the
-- outbox (sync_series.sent_step/sent_seq), so that it is sent by its key. A sender
-- creates it in the transaction of its first points write: a file that never syncs
-- (and the team server's own file) pays nothing per point. See docs/schema.md ("Sync state").
CREATE TRIGGER IF NOT EXISTS points_behind_sync AFTER INSERT ON points
WHEN EXISTS (
  SELECT 1 FROM sync_series s
  WHERE s.series_id = NEW.series_id AND (NEW.step < s.sent_step OR (NEW.step = s.sent_step AND NEW.seq <= s.sent_seq))
)
BEGIN
  INSERT OR IGNORE INTO sync_late (server, series_id, step, seq)
  SELECT s.server, NEW.series_id, NEW.step, NEW.seq FROM sync_series s
  WHERE s.series_id = NEW.series_id AND (NEW.step < s.sent_step OR (NEW.step = s.sent_step AND NEW.seq <= s.sent_seq));
END
