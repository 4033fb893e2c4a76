-- mldb PostgreSQL schema v3: MLflow's own fields (migrations/005-mlflow.sql and
-- migrations/009-mlflow-logged-models.sql) in PostgreSQL's types, so that
-- MLflow's clients log into `mldb server` on PostgreSQL as on a SQLite file.
-- An MLflow experiment is a project, an MLflow run an experiment.

-- An MLflow experiment's own fields. A project without a row is a live one
-- whose artifact location is the server's default.
CREATE TABLE mlflow_experiments (
  project_id        bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  artifact_location text,
  deleted_at        bigint,          -- lifecycle_stage "deleted" since then (ms)
  updated_at        bigint
);

-- Experiment tags (MLflow's experiment_tags); values are plain text.
CREATE TABLE mlflow_experiment_tags (
  project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key        text NOT NULL,
  value      text NOT NULL,
  PRIMARY KEY (project_id, key)
);

-- MLflow's run id of an experiment (a new uuid for runs an MLflow client
-- creates), with the run fields mldb has no column for. An experiment without
-- a row answers to a run id made of its row id.
CREATE TABLE mlflow_runs (
  experiment_id bigint PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
  run_id        text NOT NULL UNIQUE,
  artifact_uri  text,
  user_id       text
);

-- A run's inputs and outputs as MLflow logged them (log_inputs datasets,
-- MLflow 3 logged models): the JSON object MLflow sent, kept whole.
CREATE TABLE mlflow_run_inputs (
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  kind          text NOT NULL,        -- 'dataset', 'model_input' or 'model_output'
  body          text NOT NULL,        -- JSON
  PRIMARY KEY (experiment_id, seq)
);

-- MLflow 3 logged models: the LoggedModel object MLflow's clients read back,
-- kept whole as JSON; its files are artifacts of the source run.
CREATE TABLE mlflow_logged_models (
  model_id      text PRIMARY KEY,
  project_id    bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  experiment_id bigint REFERENCES experiments(id) ON DELETE SET NULL, -- the source run
  created_at    bigint NOT NULL,
  body          text NOT NULL          -- JSON: { info, data } as MLflow's LoggedModel
);
CREATE INDEX mlflow_logged_models_project ON mlflow_logged_models(project_id, created_at);
