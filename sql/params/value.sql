-- The stored JSON text of one param: a param is written once, so a writer compares first.
SELECT value FROM params WHERE experiment_id = ? AND key = ?
