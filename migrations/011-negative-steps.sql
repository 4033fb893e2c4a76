-- mldb schema v11: steps may be negative (MLflow logs step -1 for an evaluation before
-- training). Until v10 every step was >= 0, so -1 stood for "before the first step";
-- that cursor is now BEFORE_FIRST_STEP = -2^53, below every safe integer step
-- (docs/schema.md, "Steps"). The only stored -1 meaning "none" is a sync frontier:
-- sync_series.step (nothing acknowledged) and sent_step (nothing handed to the outbox),
-- both written by migration 010 and sql/sync/mark-sent.sql. A -1 there can only mean
-- "none", since no point had step -1 before this version. Nothing is dropped.
UPDATE sync_series SET step = -9007199254740992 WHERE step = -1;
UPDATE sync_series SET sent_step = -9007199254740992 WHERE sent_step = -1;
