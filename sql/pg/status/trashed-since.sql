-- status/trashed-since in PostgreSQL: $1 since (ms).
SELECT name FROM experiments WHERE deleted_at > $1
