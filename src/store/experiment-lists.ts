import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import { withShortBusyWait } from './connection.js'
import { JSON_LIMITS, unreadableMarker } from './stored-json.js'

/** What listing/params-json shows a stored value by: the byte limit and the marker of an undecodable value (docs/schema.md, "Limits"). */
export const LISTING_MARKERS = { max_bytes: JSON_LIMITS.maxBytes, undecodable: unreadableMarker() }

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
    const missing = db.prepare(sql('listing/lists-missing'))
    const fill = db.prepare(sql('listing/lists-fill'))
    s = { missing: () => missing.get() !== undefined, fill: () => void fill.run(LISTING_MARKERS) }
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
