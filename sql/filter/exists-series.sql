-- The filter's test on one series of an experiment (`e`): ? = its name, ? = its split, then
-- the compiler's condition on that row (`x`, a metric column) where /*cond*/ stands.
EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ? AND /*cond*/)
