-- listing/experiments-json in its compact form: each experiment's own fields as JSON, then its
-- experiment_lists row as stored (NULL when a writer dropped it since the client brought the
-- rows up to date: that page cannot be compact). @where and @order, parameters as there.
SELECT json_object({listing/experiment-fields}), l.summary
FROM experiments e JOIN projects p ON p.id = e.project_id LEFT JOIN experiment_lists l ON l.experiment_id = e.id
WHERE @where ORDER BY @order LIMIT ? OFFSET ?
