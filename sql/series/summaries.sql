-- Every series of one experiment, by split and name (fold tails first).
SELECT name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count
  FROM series WHERE experiment_id = ? ORDER BY split, name
