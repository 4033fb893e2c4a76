-- Writes the missing experiment_lists rows (migration 008): summary is [params, tags, series
-- rows] — params as listing/params-json shows them (@max_bytes, @undecodable), tags as stored,
-- series as [name, split, count, first_step, last_step, last_time, last_value, min_value,
-- max_value, nan_count] in (name, split) order. Run after folding tails.
INSERT OR REPLACE INTO experiment_lists (experiment_id, summary)
SELECT e.id, json_array({listing/params-json},
  (SELECT json_group_object(key, value) FROM tags WHERE experiment_id = e.id),
  (SELECT json_group_array(json_array(name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count))
   FROM series WHERE experiment_id = e.id))
FROM experiments e
WHERE NOT EXISTS (SELECT 1 FROM experiment_lists l WHERE l.experiment_id = e.id)
