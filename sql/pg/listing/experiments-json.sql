-- listing/experiments-json in PostgreSQL: one ExperimentSummary JSON text a row, built by plain
-- concatenation (json_build_object looks up how to print every argument's type on every row: half
-- a second for 50,000 series rows; this is a tenth of that). Strings go through to_json; numbers
-- print as PostgreSQL prints them (float8's shortest exact form); NULL (NaN, as SQLite keeps it)
-- and ±Infinity summary values are quoted as mldb's JSON writes them. @where and @order as in
-- listing/experiments; $1 limit (NULL for none), $2 offset (NULL for none); the conditions'
-- parameters are numbered from $3.
SELECT ('{"id":' || coalesce((e.id)::text, 'null')
  || ',"name":' || coalesce(to_json(e.name)::text, 'null')
  || ',"project":' || coalesce(to_json(p.name)::text, 'null')
  || ',"status":' || coalesce(to_json({status/derived})::text, 'null')
  || ',"storedStatus":' || coalesce(to_json(e.status)::text, 'null')
  || ',"createdAt":' || coalesce((e.created_at)::text, 'null')
  || ',"startedAt":' || coalesce((e.started_at)::text, 'null')
  || ',"endedAt":' || coalesce((e.ended_at)::text, 'null')
  || ',"updatedAt":' || coalesce((e.updated_at)::text, 'null')
  || ',"heartbeatAt":' || coalesce((e.heartbeat_at)::text, 'null')
  || ',"durationMs":' || coalesce((CASE WHEN e.started_at IS NULL THEN NULL
       ELSE coalesce(e.ended_at, CASE WHEN {status/derived} = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at END)::text, 'null')
  || ',"host":' || coalesce(to_json(e.host)::text, 'null')
  || ',"pid":' || coalesce((e.pid)::text, 'null')
  || ',"notes":' || coalesce(to_json(e.notes)::text, 'null')
  || ',"deletedAt":' || coalesce((e.deleted_at)::text, 'null')
  -- a param's value is stored as JSON text: written as it is
  || ',"params":' || coalesce((SELECT '{' || string_agg(to_json(x.key)::text || ':' || x.value, ',' ORDER BY x.key COLLATE "C") || '}'
       FROM params x WHERE x.experiment_id = e.id), '{}')
  || ',"tags":' || coalesce((SELECT '{' || string_agg(to_json(x.key)::text || ':' || to_json(x.value)::text, ',' ORDER BY x.key COLLATE "C") || '}'
       FROM tags x WHERE x.experiment_id = e.id), '{}')
  || ',"series":' || coalesce('{' || (SELECT string_agg(
       to_json((CASE WHEN s.split = '' THEN s.name ELSE s.split || '/' || s.name END))::text || ':'
       || '{"name":' || coalesce(to_json(s.name)::text, 'null')
       -- most series have no split: spare that to_json call
       || ',"split":' || (CASE WHEN s.split = '' THEN '""' ELSE to_json(s.split)::text END)
       || ',"key":' || coalesce(to_json((CASE WHEN s.split = '' THEN s.name ELSE s.split || '/' || s.name END))::text, 'null')
       || ',"count":' || coalesce((s.count)::text, 'null')
       || ',"firstStep":' || coalesce((s.first_step)::text, 'null')
       || ',"lastStep":' || coalesce((s.last_step)::text, 'null')
       || ',"lastTime":' || coalesce((s.last_time)::text, 'null')
       || ',"last":' || (CASE WHEN s.count = 0 THEN '"NaN"' ELSE (CASE WHEN s.last_value IS NULL OR s.last_value = 'NaN'::float8 THEN '"NaN"'
            WHEN s.last_value = 'Infinity'::float8 THEN '"Infinity"' WHEN s.last_value = '-Infinity'::float8 THEN '"-Infinity"' ELSE s.last_value::text END) END)
       || ',"min":' || (CASE WHEN s.min_value IS NULL OR s.min_value = 'NaN'::float8 THEN '"NaN"'
            WHEN s.min_value = 'Infinity'::float8 THEN '"Infinity"' WHEN s.min_value = '-Infinity'::float8 THEN '"-Infinity"' ELSE s.min_value::text END)
       || ',"max":' || (CASE WHEN s.max_value IS NULL OR s.max_value = 'NaN'::float8 THEN '"NaN"'
            WHEN s.max_value = 'Infinity'::float8 THEN '"Infinity"' WHEN s.max_value = '-Infinity'::float8 THEN '"-Infinity"' ELSE s.max_value::text END)
       || ',"nanCount":' || coalesce((s.nan_count)::text, 'null') || '}',
       ',' ORDER BY s.name COLLATE "C", s.split COLLATE "C") FROM series s WHERE s.experiment_id = e.id) || '}', '{}')
  || '}') AS j
FROM experiments e JOIN projects p ON p.id = e.project_id
WHERE @where ORDER BY @order LIMIT $1 OFFSET $2
