-- experiments/status-history in PostgreSQL: $1 the experiment's id.
SELECT status, time FROM status_history WHERE experiment_id = $1 ORDER BY time, id
