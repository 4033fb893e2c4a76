// Who points to a file on disk: a file may be recorded by several experiments,
// so deleting it is safe only when none is left.
import type { Sqlite } from './connection.js'

/** One experiment (live or trashed) that has a pointer to `path`, or undefined when none has. */
export function firstFileUser(db: Sqlite, path: string): { name: string; trashed: number } | undefined {
  return db
    .prepare(
      `SELECT e.name, e.deleted_at IS NOT NULL AS trashed FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id
       WHERE f.path = ? LIMIT 1`,
    )
    .get(path) as { name: string; trashed: number } | undefined
}

/** A registered model version (`name/version`) whose file is `path`, or undefined when none is. */
export function firstModelUser(db: Sqlite, path: string): string | undefined {
  const row = db
    .prepare('SELECT m.name, v.version FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE v.path = ? ORDER BY v.id LIMIT 1')
    .get(path) as { name: string; version: number } | undefined
  return row && `${row.name}/${row.version}`
}
