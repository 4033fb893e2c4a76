-- The filter's test on one param of an experiment (`e`): params ? = its key, then the
-- compiler's condition on that row (`x`) where /*cond*/ stands (docs/schema.md, "Named SQL").
EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = ? AND /*cond*/)
