-- 1 when two param values (JSON texts @old, @new) are the same value, else 0: the rule of
-- docs/schema.md ("params and tags") for "setting a param again is a no-op". Both texts are
-- parsed and compared node by node (json_tree): object key order is ignored, numbers compare
-- by numeric value (1, 1.0, 1e0 and 1000000000000000000000 = 1e21), strings by their decoded
-- text, true and false are not numbers. Texts that are not JSON, or that hold a \u0000 escape
-- (SQLite before 3.45 cuts a decoded string at NUL), are compared as text.
WITH
  ok AS (SELECT json_valid(@old) AND json_valid(@new) AND instr(@old, '\u0000') = 0 AND instr(@new, '\u0000') = 0 AS parsed),
  a AS (
    SELECT fullkey, CASE type WHEN 'integer' THEN 'real' ELSE type END AS kind, atom
    FROM json_tree(CASE WHEN (SELECT parsed FROM ok) THEN @old ELSE 'null' END)
  ),
  b AS (
    SELECT fullkey, CASE type WHEN 'integer' THEN 'real' ELSE type END AS kind, atom
    FROM json_tree(CASE WHEN (SELECT parsed FROM ok) THEN @new ELSE 'null' END)
  )
SELECT CASE
  WHEN (SELECT parsed FROM ok)
    THEN NOT EXISTS (SELECT * FROM a EXCEPT SELECT * FROM b) AND NOT EXISTS (SELECT * FROM b EXCEPT SELECT * FROM a)
  ELSE @old = @new
END AS same
