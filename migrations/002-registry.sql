-- mldb schema v2: the model registry.
-- Only adds tables; nothing of v1 is changed or dropped.
-- A version keeps a copy of its evidence (path, sha256, size, the experiment's name,
-- params and series summaries) so it survives the experiment being purged: its
-- links to experiments and file_pointers become NULL then, the copy stays.

CREATE TABLE registered_models (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  description  TEXT NOT NULL DEFAULT '',
  tags         TEXT NOT NULL DEFAULT '{}', -- JSON object of string values
  last_version INTEGER NOT NULL DEFAULT 0, -- the highest number ever given; numbers are never reused
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE model_versions (
  id            INTEGER PRIMARY KEY,
  model_id      INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL, -- 1, 2, 3, ... per model
  experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
  file_id       INTEGER REFERENCES file_pointers(id) ON DELETE SET NULL,
  exp_name      TEXT NOT NULL, -- the experiment's name at registration
  path          TEXT NOT NULL, -- absolute, as in file_pointers
  sha256        TEXT NOT NULL, -- hex, hashed at registration when the file record had none
  size          INTEGER NOT NULL,
  params        TEXT NOT NULL DEFAULT '{}', -- JSON object: the experiment's params then
  metrics       TEXT NOT NULL DEFAULT '[]', -- JSON array of series summaries then (see docs/schema.md)
  description   TEXT NOT NULL DEFAULT '',
  registered_at INTEGER NOT NULL,
  registered_by TEXT NOT NULL DEFAULT '', -- user@host
  UNIQUE (model_id, version)
);
CREATE INDEX model_versions_experiment ON model_versions(experiment_id);

-- One version per alias per model.
CREATE TABLE model_aliases (
  model_id   INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  alias      TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias)
) WITHOUT ROWID;

-- Every move of an alias: from_version NULL when it was set for the first time,
-- to_version NULL when it was deleted.
CREATE TABLE model_alias_history (
  id           INTEGER PRIMARY KEY,
  model_id     INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  alias        TEXT NOT NULL,
  from_version INTEGER,
  to_version   INTEGER,
  time         INTEGER NOT NULL,
  who          TEXT NOT NULL DEFAULT '' -- user@host
);
CREATE INDEX model_alias_history_model ON model_alias_history(model_id, time);
