-- The sort key of a metric: ? = its name, ? = its split; the metric column (a filter/metric-*)
-- where /*column*/ stands, NULL when absent.
(SELECT /*column*/ FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ?)
