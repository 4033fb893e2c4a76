-- points/block-widen in PostgreSQL: $1 series id, $2 step, $3 value (NULL for NaN), $4 time.
UPDATE point_blocks SET
    count = count + 1,
    min_value = CASE WHEN $3::float8 IS NULL THEN min_value WHEN min_value IS NULL OR $3 < min_value THEN $3 ELSE min_value END,
    max_value = CASE WHEN $3::float8 IS NULL THEN max_value WHEN max_value IS NULL OR $3 > max_value THEN $3 ELSE max_value END,
    nan_count = nan_count + (CASE WHEN $3::float8 IS NULL THEN 1 ELSE 0 END),
    last_value = CASE WHEN $2 >= last_step THEN $3 ELSE last_value END,
    last_time = CASE WHEN $2 >= last_step THEN $4 ELSE last_time END,
    last_step = CASE WHEN $2 > last_step THEN $2 ELSE last_step END,
    first_step = least(first_step, $2)
  WHERE series_id = $1 AND first_step = coalesce(
    (SELECT max(first_step) FROM point_blocks WHERE series_id = $1 AND first_step <= $2),
    (SELECT min(first_step) FROM point_blocks WHERE series_id = $1))
