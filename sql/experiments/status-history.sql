-- Every status an experiment had, oldest first.
SELECT status, time FROM status_history WHERE experiment_id = ? ORDER BY time, id
