-- One experiment's status as readers see it (status/derived at the reader's clock, written
-- for @now as there). Parameter: the experiment's id.
SELECT {status/derived} AS status FROM experiments e WHERE e.id = ?
