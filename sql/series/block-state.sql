SELECT blocked_until, unblocked FROM series WHERE id = ?
