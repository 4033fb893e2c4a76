-- A point at or before blocked_until joins the block that covers it (or, before the first
-- block, the first one). Every SET reads the old row; equal steps: the later-logged point is
-- the block's last, as for the series summary.
UPDATE point_blocks SET
    count = count + 1,
    min_value = CASE WHEN @value IS NULL THEN min_value WHEN min_value IS NULL OR @value < min_value THEN @value ELSE min_value END,
    max_value = CASE WHEN @value IS NULL THEN max_value WHEN max_value IS NULL OR @value > max_value THEN @value ELSE max_value END,
    nan_count = nan_count + (@value IS NULL),
    last_value = CASE WHEN @step >= last_step THEN @value ELSE last_value END,
    last_time = CASE WHEN @step >= last_step THEN @time ELSE last_time END,
    last_step = CASE WHEN @step > last_step THEN @step ELSE last_step END,
    first_step = min(first_step, @step)
  WHERE series_id = @id AND first_step = coalesce(
    (SELECT max(first_step) FROM point_blocks WHERE series_id = @id AND first_step <= @step),
    (SELECT min(first_step) FROM point_blocks WHERE series_id = @id))
