-- Removes an alias; like a move it appends alias-history-add (to_version NULL) and runs model-touch.
DELETE FROM model_aliases WHERE model_id = @model_id AND alias = @alias
