import { closeSync, openSync, readSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { MldbError } from '../../errors.js'

/** Whether the file starts with SQLite's 16-byte header. */
function isSqliteFile(path: string): boolean {
  const head = Buffer.alloc(16)
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\u0000'
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Whether the SQLite file has mldb's own tables (projects beside experiments). */
function isMldbFile(path: string): boolean {
  let db: BetterSqlite3.Database | undefined
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    const names = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))
    return names.has('projects') && names.has('experiments')
  } catch {
    return false
  } finally {
    db?.close()
  }
}

/**
 * Refuses an SQLite file that is not MLflow's (checked before this): without
 * it the file was read as CSV and refused for "a quoted CSV field is never
 * closed" at some line of its binary pages. An mldb database is the likely
 * one (merging two files), so that case says how to do it.
 */
export function refuseOtherSqlite(path: string): void {
  if (!isSqliteFile(path)) return
  if (isMldbFile(path))
    throw new MldbError(`${path} is an mldb database, not an export; export it first (mldb export --db ${path} --out runs.jsonl), then import runs.jsonl`)
  throw new MldbError(
    `${path} is an SQLite database but not MLflow's (no runs, experiments and metrics tables); give an \`mldb export\` file, mlflow.db or mlruns/`,
  )
}
