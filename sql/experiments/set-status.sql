-- A status change (the status_history trigger records it, at updated_at). An active status
-- (@active 1: TRAINING, VALIDATING) sets started_at once; a final one (@final 1: COMPLETE,
-- FAILED, KILLED, PRUNED) sets ended_at, any other clears it. A status change is a heartbeat.
UPDATE experiments SET status = @status, updated_at = @now, heartbeat_at = @now,
    started_at = CASE WHEN started_at IS NULL AND @active THEN @now ELSE started_at END,
    ended_at = CASE WHEN @final THEN @now ELSE NULL END
  WHERE id = @id
