-- An experiment's status as readers see it (docs/schema.md, LOST): an active experiment whose
-- last sign of life is more than 60,000 ms old at the reader's clock reads LOST. An expression
-- over `experiments e`, the same text in SQLite and PostgreSQL; a client writes its clock (an
-- integer in ms, never user input) where @now stands. LOST_AFTER_MS of both clients is read
-- from this file: this is the one place the 60,000 is written.
(CASE WHEN e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < (@now - 60000) THEN 'LOST' ELSE e.status END)
