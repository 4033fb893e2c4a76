-- params/same-value in PostgreSQL: jsonb equality is the same rule (object key order
-- ignored, numbers by numeric value, strings by decoded text; docs/schema.md, "params and
-- tags"). jsonb refuses a \u0000 or surrogate escape, so texts holding one are compared as
-- text (the SQLite text does so for \u0000; a lone surrogate is refused before a write).
SELECT CASE
  WHEN @old::text ~ '\\u(0000|[dD][89abAB])' OR @new::text ~ '\\u(0000|[dD][89abAB])' THEN @old::text = @new::text
  ELSE @old::jsonb = @new::jsonb
END AS same
