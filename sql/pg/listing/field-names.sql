-- Only the team server runs this (SQLite clients ask listing/has-param and has-series per name):
-- for each short filter name at once, whether some experiment has a param with that key and
-- whether some has that series. $1 the keys, $2 their series names, $3 their splits (text[],
-- in the same order: `valid/loss` is name `loss`, split `valid`).
SELECT k.key,
  EXISTS (SELECT 1 FROM params WHERE key = k.key) AS param,
  EXISTS (SELECT 1 FROM series WHERE name = k.name AND split = k.split) AS series
FROM unnest($1::text[], $2::text[], $3::text[]) AS k(key, name, split)
