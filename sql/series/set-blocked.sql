-- After closing blocks: the last step they cover and the points left past it.
UPDATE series SET blocked_until = ?, unblocked = ? WHERE id = ?
