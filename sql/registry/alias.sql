-- The version one alias of a model points at (no row: no such alias).
SELECT version FROM model_aliases WHERE model_id = @model_id AND alias = @alias
