-- The series summaries of the experiments in @ids (a JSON array of ids), as listing/params-of,
-- in experiment_lists' order (name, then split). Fold tails first.
SELECT experiment_id, name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count
FROM series WHERE experiment_id IN (SELECT value FROM json_each(@ids)) ORDER BY experiment_id, name, split
