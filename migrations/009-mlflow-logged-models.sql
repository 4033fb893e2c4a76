-- mldb schema v9: MLflow 3 logged models (mlflow.<flavor>.log_model), beside
-- migration 005's MLflow tables: the LoggedModel object MLflow's clients read
-- back, kept whole as JSON; its files are artifacts of the source run.
CREATE TABLE mlflow_logged_models (
  model_id      TEXT PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL, -- the source run
  created_at    INTEGER NOT NULL,
  body          TEXT NOT NULL          -- JSON: { info, data } as MLflow's LoggedModel
);
