-- The JSON type of a param row's value (`x.value`, JSON text); NULL for a value SQLite cannot
-- parse (written before the depth limit), so that it matches nothing rather than failing.
CASE WHEN json_valid(x.value) THEN json_type(x.value) END
