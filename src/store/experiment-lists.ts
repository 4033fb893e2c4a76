import type { Sqlite } from './connection.js'
import { withShortBusyWait } from './connection.js'
import { storedJsonSql } from './stored-json.js'

/**
 * A REAL column as mldb's JSON writes it: SQLite keeps NaN as NULL and renders
 * ±Infinity as 9.0e+999, so both become the strings "NaN"/"Infinity"/"-Infinity".
 */
export const jsonNumberSql = (col: string) =>
  `(CASE WHEN ${col} IS NULL THEN 'NaN' WHEN ${col} = 9e999 THEN 'Infinity' WHEN ${col} = -9e999 THEN '-Infinity' ELSE ${col} END)`

/** A series' key as filters write it: `split/name`, or `name` without a split. */
const KEY = "(CASE WHEN split = '' THEN name ELSE split || '/' || name END)"

/** The JSON of an experiment's params, tags and series summaries (`e.id`), as the server's listing shows them. */
export const PARAMS_JSON_SQL = `(SELECT json_group_object(key, ${storedJsonSql('value')}) FROM params WHERE experiment_id = e.id)`
export const TAGS_JSON_SQL = '(SELECT json_group_object(key, value) FROM tags WHERE experiment_id = e.id)'
export const SERIES_JSON_SQL = `(SELECT json_group_object(${KEY}, json_object(
    'name', name, 'split', split, 'key', ${KEY}, 'count', count, 'firstStep', first_step, 'lastStep', last_step,
    'lastTime', last_time, 'last', CASE WHEN count = 0 THEN 'NaN' ELSE ${jsonNumberSql('last_value')} END,
    'min', ${jsonNumberSql('min_value')}, 'max', ${jsonNumberSql('max_value')}, 'nanCount', nan_count))
  FROM series WHERE experiment_id = e.id)`

/** experiment_lists.summary of experiment `e.id`: [params, tags, series rows] (migrations/008-experiment-lists.sql). */
export const LIST_SUMMARY_SQL = `json_array(${PARAMS_JSON_SQL}, ${TAGS_JSON_SQL},
  (SELECT json_group_array(json_array(name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count))
   FROM series WHERE experiment_id = e.id))`

const statements = new WeakMap<Sqlite, { missing: () => boolean; fill: () => void }>()

/**
 * Brings `experiment_lists` (migration 008) up to date: the triggers delete an
 * experiment's row whenever its params, tags or series change, and this writes
 * the missing rows back in one transaction. Returns whether every experiment
 * has its row, i.e. whether a listing may read them; false on a read-only
 * connection or when the write lock cannot be had (the caller then reads the
 * params, tags and series tables as before). Call after foldTails.
 *
 * @example if (refreshExperimentLists(db)) db.prepare('SELECT summary FROM experiment_lists').all()
 */
export function refreshExperimentLists(db: Sqlite): boolean {
  let s = statements.get(db)
  if (!s) {
    const missing = db.prepare('SELECT 1 FROM experiments e WHERE NOT EXISTS (SELECT 1 FROM experiment_lists l WHERE l.experiment_id = e.id) LIMIT 1')
    const fill = db.prepare(
      `INSERT OR REPLACE INTO experiment_lists (experiment_id, summary)
       SELECT e.id, ${LIST_SUMMARY_SQL} FROM experiments e
       WHERE NOT EXISTS (SELECT 1 FROM experiment_lists l WHERE l.experiment_id = e.id)`,
    )
    s = { missing: () => missing.get() !== undefined, fill: () => void fill.run() }
    statements.set(db, s)
  }
  if (!s.missing()) return true
  if (db.readonly) return false
  const fill = db.transaction(s.fill)
  try {
    if (db.inTransaction) fill()
    else withShortBusyWait(db, () => fill.immediate()) // a listing waits briefly for a foreign lock, then reads the tables
    return true
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY')) return false
    throw e
  }
}
