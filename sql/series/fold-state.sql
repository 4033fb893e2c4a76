-- What a writer reads of a series before adding points or folding its tail.
SELECT last_step, blocked_until, unblocked, tail FROM series WHERE id = ?
