-- The filter's test on one tag of an experiment (`e`): ? = its key, then the compiler's
-- condition on that row (`x`) where /*cond*/ stands.
EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = ? AND /*cond*/)
