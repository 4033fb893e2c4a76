-- mldb schema v5: what MLflow keeps that mldb's own tables do not, so that
-- MLflow's clients (through the server's MLflow REST API) and MLflow imports
-- lose nothing. An MLflow experiment is a project, an MLflow run an experiment.

-- An MLflow experiment's own fields. A project without a row is a live one
-- whose artifact location is the server's default.
CREATE TABLE mlflow_experiments (
  project_id        INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  artifact_location TEXT,
  deleted_at        INTEGER,          -- lifecycle_stage "deleted" since then (ms)
  updated_at        INTEGER
);

-- Experiment tags (MLflow's experiment_tags); values are plain text.
CREATE TABLE mlflow_experiment_tags (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;

-- MLflow's run id of an experiment (kept on import, a new uuid for runs an
-- MLflow client creates), with the run fields mldb has no column for.
-- An experiment without a row answers to a run id made of its row id.
CREATE TABLE mlflow_runs (
  experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
  run_id        TEXT NOT NULL UNIQUE,
  artifact_uri  TEXT,
  user_id       TEXT
);

-- A run's inputs and outputs as MLflow logged them (log_inputs datasets,
-- MLflow 3 logged models): the JSON object MLflow sent, kept whole.
CREATE TABLE mlflow_run_inputs (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  kind          TEXT NOT NULL,        -- 'dataset', 'model_input' or 'model_output'
  body          TEXT NOT NULL,        -- JSON
  PRIMARY KEY (experiment_id, seq)
) WITHOUT ROWID;
