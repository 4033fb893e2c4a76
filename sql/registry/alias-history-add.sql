-- One move of an alias: @from_version NULL when newly set, @to_version NULL when deleted; @who is user@host.
INSERT INTO model_alias_history (model_id, alias, from_version, to_version, time, who)
  VALUES (@model_id, @alias, @from_version, @to_version, @now, @who)
