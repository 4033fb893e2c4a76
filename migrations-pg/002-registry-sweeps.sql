-- mldb PostgreSQL schema v2: the model registry (migrations/002-registry.sql) and
-- sweeps (migrations/003-sweeps.sql) in PostgreSQL's types, for `mldb server` on
-- PostgreSQL. The rules are those of docs/schema.md ("Model registry", "Sweeps");
-- on the server a trial is claimed in one transaction that first locks the
-- sweep's row (SELECT ... FOR UPDATE), so two agents never get the same trial.

CREATE TABLE registered_models (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  description  text NOT NULL DEFAULT '',
  tags         text NOT NULL DEFAULT '{}', -- JSON object of string values
  last_version bigint NOT NULL DEFAULT 0,  -- the highest number ever given; numbers are never reused
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL
);

CREATE TABLE model_versions (
  id            bigserial PRIMARY KEY,
  model_id      bigint NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  version       bigint NOT NULL,
  experiment_id bigint REFERENCES experiments(id) ON DELETE SET NULL,
  file_id       bigint REFERENCES file_pointers(id) ON DELETE SET NULL,
  exp_name      text NOT NULL,
  path          text NOT NULL, -- the path on the machine that registered it
  sha256        text NOT NULL, -- its bytes are in the server's artifact store
  size          bigint NOT NULL,
  params        text NOT NULL DEFAULT '{}',
  metrics       text NOT NULL DEFAULT '[]',
  description   text NOT NULL DEFAULT '',
  registered_at bigint NOT NULL,
  registered_by text NOT NULL DEFAULT '',
  UNIQUE (model_id, version)
);
CREATE INDEX model_versions_experiment ON model_versions(experiment_id);

CREATE TABLE model_aliases (
  model_id   bigint NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  alias      text NOT NULL,
  version    bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (model_id, alias)
);

CREATE TABLE model_alias_history (
  id           bigserial PRIMARY KEY,
  model_id     bigint NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  alias        text NOT NULL,
  from_version bigint,
  to_version   bigint,
  time         bigint NOT NULL,
  who          text NOT NULL DEFAULT ''
);
CREATE INDEX model_alias_history_model ON model_alias_history(model_id, time);

CREATE TABLE sweeps (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  project_id bigint NOT NULL REFERENCES projects(id),
  config     text NOT NULL, -- the normalised config as JSON
  state      text NOT NULL DEFAULT 'RUNNING', -- RUNNING, STOPPED
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE trials (
  sweep_id      bigint NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  number        bigint NOT NULL,
  experiment_id bigint NOT NULL UNIQUE REFERENCES experiments(id) ON DELETE CASCADE,
  params        text NOT NULL,
  grid_index    bigint,
  value         double precision, -- NULL until finished; NaN is stored as NULL, as on SQLite
  requeue       integer NOT NULL DEFAULT 0,
  created_at    bigint NOT NULL,
  PRIMARY KEY (sweep_id, number)
);
