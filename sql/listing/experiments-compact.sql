-- listing/experiments-json in its compact form: each experiment's own fields as JSON with its
-- experiment_lists row as stored added as "summary", one text a row, written whole here so the
-- client only joins them (rtrim takes json_object's closing brace: its last value, deletedAt, is a
-- number or null). NULL when a writer dropped the row since the client brought the rows up to
-- date: that page cannot be compact. @where and @order, parameters as there.
SELECT rtrim(json_object({listing/experiment-fields}), '}') || ',"summary":' || l.summary || '}'
FROM experiments e JOIN projects p ON p.id = e.project_id LEFT JOIN experiment_lists l ON l.experiment_id = e.id
WHERE @where ORDER BY @order LIMIT ? OFFSET ?
