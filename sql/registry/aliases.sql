-- A model's aliases and the version each points at, by alias.
SELECT alias, version FROM model_aliases WHERE model_id = @model_id ORDER BY alias
