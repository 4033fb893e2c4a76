-- mldb schema v1.
-- Applied by the TypeScript and Python clients inside BEGIN IMMEDIATE, followed by
-- PRAGMA user_version = 1. Works on SQLite >= 3.37 (no JSONB, no unixepoch()).
-- Times are integer milliseconds since the Unix epoch (UTC).
-- A point's value is REAL; SQLite stores NaN as NULL, so NULL in a value column means NaN.
-- A writer that inserts points also keeps series' summary columns and point_blocks
-- up to date in the same transaction (see docs/schema.md); this is done by the
-- client, not by triggers, because a trigger per point costs 3-5x in throughput.
-- `mldb doctor --fix` rebuilds both from points.

CREATE TABLE projects (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE experiments (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  project_id   INTEGER NOT NULL REFERENCES projects(id),
  status       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  started_at   INTEGER,
  ended_at     INTEGER,
  updated_at   INTEGER NOT NULL,
  heartbeat_at INTEGER,
  host         TEXT,
  pid          INTEGER,
  notes        TEXT NOT NULL DEFAULT '',
  deleted_at   INTEGER -- set when moved to the trash; NULL for live experiments
);
CREATE INDEX experiments_project ON experiments(project_id);
CREATE INDEX experiments_created ON experiments(created_at);

CREATE TABLE status_history (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  status        TEXT NOT NULL,
  time          INTEGER NOT NULL
);
CREATE INDEX status_history_experiment ON status_history(experiment_id, time);

CREATE TRIGGER experiments_status_insert AFTER INSERT ON experiments BEGIN
  INSERT INTO status_history(experiment_id, status, time) VALUES (new.id, new.status, new.updated_at);
END;
CREATE TRIGGER experiments_status_update AFTER UPDATE OF status ON experiments
WHEN old.status IS NOT new.status BEGIN
  INSERT INTO status_history(experiment_id, status, time) VALUES (new.id, new.status, new.updated_at);
END;

-- value is JSON text (numbers, strings, booleans, null, arrays, objects).
CREATE TABLE params (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

CREATE TABLE tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

-- One row per (experiment, name, split). The summary columns describe its points;
-- blocked_until is the last step covered by point_blocks, unblocked how many points lie past it.
CREATE TABLE series (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  split         TEXT NOT NULL DEFAULT '',
  count         INTEGER NOT NULL DEFAULT 0,
  first_step    INTEGER,
  last_step     INTEGER,
  last_time     INTEGER,
  last_value    REAL,
  min_value     REAL,
  max_value     REAL,
  nan_count     INTEGER NOT NULL DEFAULT 0,
  blocked_until INTEGER,
  unblocked     INTEGER NOT NULL DEFAULT 0, -- points past blocked_until
  UNIQUE (experiment_id, name, split)
);

-- seq tells apart two values logged at the same step (0, 1, 2, ...).
CREATE TABLE points (
  series_id INTEGER NOT NULL,
  step      INTEGER NOT NULL,
  seq       INTEGER NOT NULL DEFAULT 0,
  time      INTEGER NOT NULL,
  value     REAL,
  PRIMARY KEY (series_id, step, seq)
) WITHOUT ROWID;

-- Min/max/last of runs of about 64 consecutive points, so a chart of a million
-- points reads ~16k rows instead of a million. Spikes and NaNs survive (min, max, nan_count).
CREATE TABLE point_blocks (
  series_id  INTEGER NOT NULL,
  first_step INTEGER NOT NULL,
  last_step  INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  min_value  REAL,
  max_value  REAL,
  last_value REAL,
  last_time  INTEGER NOT NULL,
  nan_count  INTEGER NOT NULL,
  PRIMARY KEY (series_id, first_step)
) WITHOUT ROWID;

CREATE TABLE file_pointers (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  path          TEXT NOT NULL, -- absolute
  kind          TEXT NOT NULL, -- model, checkpoint, image, plot, data, other
  step          INTEGER,
  size          INTEGER NOT NULL,
  mtime         INTEGER NOT NULL, -- ms
  sha256        TEXT,
  meta          TEXT, -- JSON object or NULL
  created_at    INTEGER NOT NULL
);
CREATE INDEX file_pointers_experiment ON file_pointers(experiment_id);
CREATE INDEX file_pointers_path ON file_pointers(path);

-- The names of the first mldb, kept so its raw SQL keeps working.
CREATE VIEW STATUS AS
  SELECT e.name AS EXP_ID, e.status AS STATUS FROM experiments e WHERE e.deleted_at IS NULL;
CREATE VIEW LOSS AS
  SELECT e.name AS EXP_ID, s.split AS SPLIT, p.step AS EPOCH, p.value AS VALUE
  FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id
  WHERE s.name = 'loss' AND e.deleted_at IS NULL;
CREATE VIEW METRICS AS
  SELECT e.name AS EXP_ID, s.name AS NAME, s.split AS SPLIT, p.step AS EPOCH, p.value AS VALUE
  FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id
  WHERE s.name <> 'loss' AND e.deleted_at IS NULL;
CREATE VIEW FILES AS
  SELECT e.name AS EXP_ID, f.kind AS KIND, f.path AS PATH, f.step AS EPOCH
  FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id WHERE e.deleted_at IS NULL;
