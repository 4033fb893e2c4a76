-- mldb schema v3: sweeps (hyperparameter searches) whose trials are ordinary experiments.
-- Rules every client follows (docs/schema.md, "Sweeps"):
-- * a trial is claimed in one BEGIN IMMEDIATE transaction that reads the sweep's trials,
--   picks the next number (max + 1) and the next grid point, and inserts the experiment
--   (status TRAINING, tags mldb.sweep and mldb.trial) and its trials row together;
-- * run_cap counts the trials whose requeue = 0; a LOST trial (active status, heartbeat
--   older than 60 s) is set FAILED by the next claim and, when the config says
--   requeue_lost, it gets requeue = 1 and the next claim re-runs its params (then requeue = 2);
-- * a trial's value is trials.value when set, else the last value of the metric's series.

CREATE TABLE sweeps (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  config     TEXT NOT NULL, -- the normalised config as JSON (see docs/schema.md)
  state      TEXT NOT NULL DEFAULT 'RUNNING', -- RUNNING, STOPPED
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE trials (
  sweep_id      INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  number        INTEGER NOT NULL, -- 0, 1, 2, ... unique in its sweep
  experiment_id INTEGER NOT NULL UNIQUE REFERENCES experiments(id) ON DELETE CASCADE,
  params        TEXT NOT NULL, -- the sampled values as a flat JSON object ("a.b" for nested)
  grid_index    INTEGER, -- the grid point, for method grid
  value         REAL, -- the final objective; NULL until finished (NaN is stored as NULL too)
  requeue       INTEGER NOT NULL DEFAULT 0, -- 0; 1 a LOST trial waiting to be re-run (requeue_lost); 2 re-run
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, number)
);
