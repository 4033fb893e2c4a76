-- mldb schema v7: the local-first sender's state. A client configured with a team
-- server (MLDB_SERVER) keeps logging into this file and a background sender pushes
-- what is new; these tables remember, per server, what the server acknowledged, so
-- that a kill of the client, the server or both never loses or repeats a value.
-- See docs/schema.md ("Sync state").

-- One row per server this file syncs to.
CREATE TABLE sync_servers (
  server      TEXT PRIMARY KEY, -- the server's base URL
  client      TEXT NOT NULL,    -- this file's write id on that server (a uuid)
  next_seq    INTEGER NOT NULL, -- the next write's sequence number
  lease_owner TEXT,             -- host:pid:nonce of the sender now sending; one at a time
  lease_until INTEGER           -- ms; others wait until then, or until that pid is gone
);

-- Per experiment and server: its identity there and what has been acknowledged.
CREATE TABLE sync_experiments (
  server        TEXT NOT NULL,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  uuid          TEXT NOT NULL,               -- the experiment's identity across machines
  remote_name   TEXT NOT NULL,               -- its name on the server (another after a clash)
  created       INTEGER NOT NULL DEFAULT 0,  -- 1 once the server confirmed it holds this uuid
  status_id     INTEGER NOT NULL DEFAULT 0,  -- the last status_history id acknowledged
  params        TEXT NOT NULL DEFAULT '{}',  -- the params acknowledged (JSON object)
  tags          TEXT NOT NULL DEFAULT '{}',  -- the tags acknowledged (JSON object)
  notes         TEXT NOT NULL DEFAULT '',    -- the notes acknowledged
  file_id       INTEGER NOT NULL DEFAULT 0,  -- the last file_pointers id acknowledged
  PRIMARY KEY (server, experiment_id)
);

-- Per series and server: the last point acknowledged in (step, seq) order, and how many.
CREATE TABLE sync_series (
  server    TEXT NOT NULL,
  series_id INTEGER NOT NULL,
  step      INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (server, series_id)
) WITHOUT ROWID;

-- A write handed to the server but not yet acknowledged, kept exactly as sent:
-- after a kill, the retry carries the same (client, seq) and body, so the server
-- applies it once. `ack` says what to record when it is acknowledged; `error`
-- is set when the server refused it for good (kept for `mldb sync` to report).
CREATE TABLE sync_outbox (
  server TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  method TEXT NOT NULL,
  path   TEXT NOT NULL,
  body   TEXT NOT NULL,
  ack    TEXT NOT NULL,
  error  TEXT,
  PRIMARY KEY (server, seq)
);
