-- The sort key of a param: ? = its key; its parsed value, NULL when absent or unparseable.
(SELECT CASE WHEN json_valid(x.value) THEN {filter/param-value} END FROM params x WHERE x.experiment_id = e.id AND x.key = ?)
