-- A claimed trial (params: the sampled values as a flat JSON object; grid_index NULL unless grid).
INSERT INTO trials (sweep_id, number, experiment_id, params, grid_index, created_at)
  VALUES (@sweep, @number, @experiment_id, @params, @grid_index, @now)
