-- Whether any experiment lacks its experiment_lists row (migration 008): a row, or none.
SELECT 1 FROM experiments e WHERE NOT EXISTS (SELECT 1 FROM experiment_lists l WHERE l.experiment_id = e.id) LIMIT 1
