-- One page of a listing (listExperiments, list_experiments): each experiment's own columns,
-- then its experiment_lists row as stored (migration 008; NULL when a write dropped it: read
-- listing/params-of, tags-of and series-of for those ids instead). Columns in this order (both
-- clients read them by position). @where and @order are not parameters: the client writes its
-- compiled conditions (joined with AND; their `?` come first) and its ORDER BY list in their
-- place, then its clock for @now. Parameters after those: limit (-1 for none), offset.
SELECT e.id, e.name, p.name, {status/derived}, e.status, e.created_at, e.started_at, e.ended_at, e.updated_at,
       e.heartbeat_at, e.host, e.pid, e.notes, e.deleted_at, l.summary
FROM experiments e JOIN projects p ON p.id = e.project_id LEFT JOIN experiment_lists l ON l.experiment_id = e.id
WHERE @where ORDER BY @order LIMIT ? OFFSET ?
