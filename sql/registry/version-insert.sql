-- A version and the evidence it keeps (params, metrics: JSON text, docs/schema.md). The
-- experiment and file ids may be NULL (a version recorded from another machine's evidence).
INSERT INTO model_versions (model_id, version, experiment_id, file_id, exp_name, path, sha256, size,
    params, metrics, description, registered_at, registered_by)
  VALUES (@model_id, @version, @experiment_id, @file_id, @exp_name, @path, @sha256, @size,
    @params, @metrics, @description, @registered_at, @registered_by)
