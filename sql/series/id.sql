SELECT id FROM series WHERE experiment_id = ? AND name = ? AND split = ?
