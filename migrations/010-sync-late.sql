-- mldb schema v10: points logged behind what a sender already handed to the server.
-- A sender sends each series' points in (step, seq) order past a frontier; a point
-- logged later at a step at or below that frontier (a re-evaluation of an earlier
-- epoch, a second process logging the same series) would never be sent. The
-- trigger points_behind_sync (sql/sync/late-trigger.sql, created by a sender with
-- its first points write, so files that never sync pay nothing per point) notes
-- such a point per server in sync_late, and the sender sends those points by
-- their keys. See docs/schema.md ("Sync state").

-- The frontier handed to the outbox (>= the acknowledged step/seq while a write is in flight).
ALTER TABLE sync_series ADD COLUMN sent_step INTEGER NOT NULL DEFAULT -1;
ALTER TABLE sync_series ADD COLUMN sent_seq INTEGER NOT NULL DEFAULT -1;
UPDATE sync_series SET sent_step = step, sent_seq = seq;
CREATE INDEX sync_series_by_series ON sync_series(series_id);

-- Points at or behind a server's frontier, not yet acknowledged by that server.
CREATE TABLE sync_late (
  server    TEXT NOT NULL,
  series_id INTEGER NOT NULL,
  step      INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (server, series_id, step, seq)
) WITHOUT ROWID;
