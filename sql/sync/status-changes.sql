-- An experiment's status changes after the last one acknowledged, 100 at a time.
-- Parameters: experiment id, last acknowledged status_history id.
SELECT id, status FROM status_history WHERE experiment_id = ? AND id > ? ORDER BY id LIMIT 100
