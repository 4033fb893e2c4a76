SELECT notes FROM experiments WHERE id = ?
