-- An experiment's params as one JSON object, in key order: an expression over `experiments e`
-- that listing/experiments-json and listing/lists-fill include. A stored value over @max_bytes
-- shows as the marker "[not shown: N bytes, over the limit of M]", one that is not JSON (or
-- nested deeper than SQLite's parser takes) as @undecodable (docs/schema.md, "Limits").
-- octet_length reads the length from the record header, without loading a 16 MB value.
(SELECT json_group_object(key, CASE
    WHEN octet_length(value) > @max_bytes THEN json_quote('[not shown: ' || octet_length(value) || ' bytes, over the limit of ' || CAST(@max_bytes AS INTEGER) || ']')
    WHEN json_valid(value) THEN json(value) ELSE json_quote(@undecodable) END)
  FROM params WHERE experiment_id = e.id)
