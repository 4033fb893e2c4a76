-- An experiment's duration in seconds, one SQL expression over `experiments e` (the filter's
-- and sort's `duration`): to its end, a LOST run's to its last sign of life, a running one's
-- to @now (the client's clock, as in status/derived).
((coalesce(e.ended_at, CASE WHEN {status/derived} = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at) / 1000.0)
