-- The summary after @n points (a batch, or a folded tail): their least step, the latest-logged
-- point at their greatest step, their min and max (NULL when all NaN), NaN count, and @past of
-- them past blocked_until.
UPDATE series SET count = count + @n,
  first_step = CASE WHEN first_step IS NULL OR @first_step < first_step THEN @first_step ELSE first_step END,
  last_time  = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_time ELSE last_time END,
  last_value = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_value ELSE last_value END,
  last_step  = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_step ELSE last_step END,
  min_value  = CASE WHEN @min IS NULL THEN min_value WHEN min_value IS NULL OR @min < min_value THEN @min ELSE min_value END,
  max_value  = CASE WHEN @max IS NULL THEN max_value WHEN max_value IS NULL OR @max > max_value THEN @max ELSE max_value END,
  nan_count  = nan_count + @nan,
  unblocked  = unblocked + @past
WHERE id = @id
