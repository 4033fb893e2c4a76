-- mldb schema v6: one-page per-call logging.
-- A single logged point (addMetricValue, add_metric_value, run.log of one value)
-- is appended to `points` without touching its `series` row, as long as its step
-- is past series.last_step and series.tail = 1. Those points form the series'
-- tail: its summary columns describe every point with step <= last_step, and
-- the points with step > last_step (all of them while last_step is NULL) are
-- not yet in them. A client folds the tail into the summary (and closes blocks)
-- when 64 points lie past blocked_until, before it reads summaries, and when it
-- closes; folding sets tail = 0 unless the folder keeps appending. tail = 0
-- means the series has no tail, so readers look only at series WHERE tail = 1.
-- See docs/schema.md ("The tail of a series").
ALTER TABLE series ADD COLUMN tail INTEGER NOT NULL DEFAULT 0;
CREATE INDEX series_tail ON series(id) WHERE tail = 1;
