-- mldb schema v4: the team server's own tables (mldb server on a SQLite file).
-- migrations-pg/ holds the same tables for PostgreSQL.

-- One row per write the server has applied: a client-chosen id (a uuid) and that
-- client's sequence number. A retried request finds its row and is not applied twice.
CREATE TABLE server_writes (
  client TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  time   INTEGER NOT NULL,
  PRIMARY KEY (client, seq)
) WITHOUT ROWID;

-- Access tokens of `mldb server`: only the sha256 of each token is kept.
CREATE TABLE tokens (
  name       TEXT PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE, -- hex sha256 of the token
  read_only  INTEGER NOT NULL,     -- 1: reads only
  created_at INTEGER NOT NULL
);

-- Files whose bytes the server keeps in its artifact store, one per sha256.
CREATE TABLE artifacts (
  sha256     TEXT PRIMARY KEY,
  size       INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
