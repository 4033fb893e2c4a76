-- Versions by model name and number, with the model's name; each filter applies unless NULL:
-- @model_id, @version, @experiment_id (the versions registered from one experiment).
SELECT v.id, m.name, v.version, v.experiment_id, v.file_id, v.exp_name, v.path, v.sha256, v.size,
    v.params, v.metrics, v.description, v.registered_at, v.registered_by, v.model_id
  FROM model_versions v JOIN registered_models m ON m.id = v.model_id
  WHERE (CAST(@model_id AS BIGINT) IS NULL OR v.model_id = @model_id) AND (CAST(@version AS BIGINT) IS NULL OR v.version = @version)
    AND (CAST(@experiment_id AS BIGINT) IS NULL OR v.experiment_id = @experiment_id)
  ORDER BY m.name, v.version
