// Where an experiment is, by name: live, in the trash, or nowhere. Commands that
// take several names check them all first so one bad name touches nothing.
import type { Sqlite } from './connection.js'

/** Whether an experiment is live or in the trash. */
export type TrashState = 'live' | 'trashed'

/** A lookup of where each named experiment is (undefined: no such experiment); prepared once. */
export function trashStateLookup(db: Sqlite): (name: string) => TrashState | undefined {
  const stmt = db.prepare('SELECT deleted_at FROM experiments WHERE name = ?')
  return (name) => {
    const row = stmt.get(name) as { deleted_at: number | null } | undefined
    if (!row) return undefined
    return row.deleted_at === null ? 'live' : 'trashed'
  }
}
