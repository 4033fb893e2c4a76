-- mldb PostgreSQL schema v1: migrations/001-initial.sql (experiments, series,
-- points, blocks, files) plus migrations/004-server.sql (write ids, tokens,
-- artifacts) in PostgreSQL's types. Times are bigint ms since the Unix epoch.
-- Values are double precision: points keep NaN and ±Infinity as themselves;
-- the summary columns of series and point_blocks keep NaN as NULL, as SQLite
-- does, so the filter language means the same on both (docs/schema.md).
-- Applied by mldb inside one transaction under an advisory lock; the version is
-- the row of mldb_schema.

CREATE TABLE mldb_schema (version integer NOT NULL);
INSERT INTO mldb_schema (version) VALUES (0);

CREATE TABLE projects (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at bigint NOT NULL
);

CREATE TABLE experiments (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  project_id   bigint NOT NULL REFERENCES projects(id),
  status       text NOT NULL,
  created_at   bigint NOT NULL,
  started_at   bigint,
  ended_at     bigint,
  updated_at   bigint NOT NULL,
  heartbeat_at bigint,
  host         text,
  pid          integer,
  notes        text NOT NULL DEFAULT '',
  deleted_at   bigint
);
CREATE INDEX experiments_project ON experiments(project_id);
CREATE INDEX experiments_created ON experiments(created_at);

CREATE TABLE status_history (
  id            bigserial PRIMARY KEY,
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  status        text NOT NULL,
  time          bigint NOT NULL
);
CREATE INDEX status_history_experiment ON status_history(experiment_id, time);

CREATE FUNCTION mldb_status_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
    INSERT INTO status_history (experiment_id, status, time) VALUES (NEW.id, NEW.status, NEW.updated_at);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER experiments_status AFTER INSERT OR UPDATE OF status ON experiments
  FOR EACH ROW EXECUTE FUNCTION mldb_status_history();

CREATE TABLE params (
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key           text NOT NULL,
  value         text NOT NULL, -- JSON text
  PRIMARY KEY (experiment_id, key)
);

CREATE TABLE tags (
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  key           text NOT NULL,
  value         text NOT NULL,
  PRIMARY KEY (experiment_id, key)
);

CREATE TABLE series (
  id            bigserial PRIMARY KEY,
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  name          text NOT NULL,
  split         text NOT NULL DEFAULT '',
  count         bigint NOT NULL DEFAULT 0,
  first_step    bigint,
  last_step     bigint,
  last_time     bigint,
  last_value    double precision,
  min_value     double precision,
  max_value     double precision,
  nan_count     bigint NOT NULL DEFAULT 0,
  blocked_until bigint,
  unblocked     bigint NOT NULL DEFAULT 0,
  UNIQUE (experiment_id, name, split)
);

CREATE TABLE points (
  series_id bigint NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  step      bigint NOT NULL,
  seq       integer NOT NULL DEFAULT 0,
  time      bigint NOT NULL,
  value     double precision NOT NULL, -- NaN and ±Infinity as themselves
  PRIMARY KEY (series_id, step, seq)
);

CREATE TABLE point_blocks (
  series_id  bigint NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  first_step bigint NOT NULL,
  last_step  bigint NOT NULL,
  count      bigint NOT NULL,
  min_value  double precision,
  max_value  double precision,
  last_value double precision,
  last_time  bigint NOT NULL,
  nan_count  bigint NOT NULL,
  PRIMARY KEY (series_id, first_step)
);

CREATE TABLE file_pointers (
  id            bigserial PRIMARY KEY,
  experiment_id bigint NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  path          text NOT NULL,
  kind          text NOT NULL,
  step          bigint,
  size          bigint NOT NULL,
  mtime         bigint NOT NULL,
  sha256        text,
  meta          text,
  created_at    bigint NOT NULL
);
CREATE INDEX file_pointers_experiment ON file_pointers(experiment_id);
CREATE INDEX file_pointers_path ON file_pointers(path);

CREATE TABLE server_writes (
  client text NOT NULL,
  seq    bigint NOT NULL,
  time   bigint NOT NULL,
  PRIMARY KEY (client, seq)
);

CREATE TABLE tokens (
  name       text PRIMARY KEY,
  hash       text NOT NULL UNIQUE,
  read_only  boolean NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE artifacts (
  sha256     text PRIMARY KEY,
  size       bigint NOT NULL,
  created_at bigint NOT NULL
);
