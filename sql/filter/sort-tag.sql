-- The sort key of a tag: ? = its key; its value, NULL when absent.
(SELECT {filter/tag-value} FROM tags x WHERE x.experiment_id = e.id AND x.key = ?)
