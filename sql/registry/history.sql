-- Every move of a model's aliases, oldest first.
SELECT alias, from_version, to_version, time, who FROM model_alias_history WHERE model_id = @model_id ORDER BY time, id
