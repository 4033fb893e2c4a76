-- 1: the series may have points past last_step (its tail); 0: it has none.
UPDATE series SET tail = ? WHERE id = ?
