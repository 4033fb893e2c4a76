-- One point into the series' tail in one autocommit statement (one page): only while the
-- series keeps a tail open and the step is past its summary. Reading the series row in the
-- same statement makes the check and the insert one atomic commit; nothing inserted means
-- "write it the ordinary way, in a transaction" (docs/schema.md, "The tail of a series").
-- -9007199254740992 (-2^53) is BEFORE_FIRST_STEP, below every step (docs/schema.md, "Steps").
INSERT OR IGNORE INTO points (series_id, step, seq, time, value)
  SELECT id, @step, 0, @time, @value FROM series
  WHERE id = @id AND tail = 1 AND @step > coalesce(last_step, -9007199254740992)
