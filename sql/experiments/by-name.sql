-- An experiment of that name, live or in the trash.
SELECT id, deleted_at FROM experiments WHERE name = ?
