-- Adds @note below an experiment's notes, or as its notes when it has none: a sweep's LOST
-- line keeps what the trial wrote before it, as a FAILED trial's error does (docs/schema.md,
-- "Sweeps"). The separator is one newline, written literally so the statement runs unchanged
-- on SQLite (no chr()) and PostgreSQL (no char()).
UPDATE experiments SET notes = CASE WHEN notes = '' THEN @note ELSE notes || '
' || @note END, updated_at = @now WHERE id = @id
