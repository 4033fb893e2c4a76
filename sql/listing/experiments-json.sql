-- One page of a listing as ExperimentSummary JSON text, one experiment a row, built by SQLite
-- (the dashboard loads 10,000 experiments: building them in the client costs several times
-- the time). Params and tags in key order, series in (name, split) order; a stored value over
-- @max_bytes or not JSON shows as its marker (docs/schema.md, "Limits"; @undecodable is the
-- second marker's text). Summary values as mldb's JSON writes them: NULL (NaN) and ±9e999 as
-- "NaN"/"Infinity"/"-Infinity". @where and @order as in listing/experiments; the conditions'
-- `?`, then limit (-1 for none) and offset.
SELECT json_object({listing/experiment-fields},
  'params', {listing/params-json},
  'tags', (SELECT json_group_object(key, value) FROM tags WHERE experiment_id = e.id),
  'series', (SELECT json_group_object((CASE WHEN split = '' THEN name ELSE split || '/' || name END), json_object(
      'name', name, 'split', split, 'key', (CASE WHEN split = '' THEN name ELSE split || '/' || name END),
      'count', count, 'firstStep', first_step, 'lastStep', last_step, 'lastTime', last_time,
      'last', CASE WHEN count = 0 THEN 'NaN' ELSE
        (CASE WHEN last_value IS NULL THEN 'NaN' WHEN last_value = 9e999 THEN 'Infinity' WHEN last_value = -9e999 THEN '-Infinity' ELSE last_value END) END,
      'min', (CASE WHEN min_value IS NULL THEN 'NaN' WHEN min_value = 9e999 THEN 'Infinity' WHEN min_value = -9e999 THEN '-Infinity' ELSE min_value END),
      'max', (CASE WHEN max_value IS NULL THEN 'NaN' WHEN max_value = 9e999 THEN 'Infinity' WHEN max_value = -9e999 THEN '-Infinity' ELSE max_value END),
      'nanCount', nan_count))
    FROM series WHERE experiment_id = e.id))
FROM experiments e JOIN projects p ON p.id = e.project_id
WHERE @where ORDER BY @order LIMIT ? OFFSET ?
