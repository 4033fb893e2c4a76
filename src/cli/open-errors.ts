// Turns what SQLite and the store say when a database cannot be opened into one
// line that names the file and says what to do. SQLite's own words ("attempt to
// write a readonly database" for a read) point the user the wrong way.
import { statSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { sqliteContents } from '../api/db-file.js'
import { MldbError, SchemaVersionError } from '../errors.js'

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

/**
 * user_version of an SQLite file, or undefined when it is no SQLite file. Read through a
 * read-only SQLite connection, not by reading the header with open()/close(): closing a
 * descriptor drops every POSIX lock this process holds on the file, including those of a
 * connection it already has open (https://www.sqlite.org/howtocorrupt.html, 2.2).
 */
function headerUserVersion(path: string): number | undefined {
  try {
    if (!statSync(path).isFile() || statSync(path).size === 0) return undefined
  } catch {
    return undefined
  }
  let db: BetterSqlite3.Database | undefined
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    return db.pragma('user_version', { simple: true }) as number
  } catch {
    return undefined
  } finally {
    db?.close()
  }
}

/**
 * Refuses an SQLite file of another program before mldb opens it: opening it
 * read-write would switch it to WAL mode before the store's own check refuses
 * it, and read-only the store would only say "schema version 0". The header
 * read is cheap; the tables are looked at only when its user_version is 0.
 * (In a WAL-mode mldb file the header may still say 0, hence the look.)
 */
export function assertNotForeign(path: string): void {
  if (path === ':memory:' || headerUserVersion(path) !== 0) return
  let contents: ReturnType<typeof sqliteContents>
  try {
    contents = sqliteContents(path)
  } catch {
    return // the real open says what is wrong
  }
  if (contents === 'other') throw notMldb(path)
}

function notMldb(path: string): MldbError {
  return new MldbError(`${path} is an SQLite database but not an mldb one (it has other tables); pick another path`)
}

/**
 * The error to show when opening `path` read-only failed with `e`: a clear
 * MldbError for a folder SQLite cannot write its -shm file into, for read-only
 * -wal/-shm files, and for an SQLite file that is not an mldb database (the
 * store says "schema version 0; open it read-write", which would turn someone
 * else's database into an mldb one); anything else unchanged.
 */
export function readOpenError(path: string, e: unknown): unknown {
  const code = codeOf(e)
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new MldbError(
      `cannot read ${path}: its folder is not writable, and SQLite needs to create ${path}-shm beside it; copy the file somewhere writable or fix the folder's permissions`,
    )
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new MldbError(
      `cannot read ${path}: SQLite could not use the ${path}-wal and -shm files beside it (${code}); make them and their folder writable, or copy the database somewhere writable`,
    )
  }
  if (e instanceof SchemaVersionError && e.found === 0) {
    let contents: ReturnType<typeof sqliteContents>
    try {
      contents = sqliteContents(path)
    } catch {
      return e
    }
    if (contents === 'other') return notMldb(path)
    if (contents === 'empty')
      return new MldbError(`${path} is an empty SQLite database, not yet an mldb one; log an experiment to it first, or point --db at another file`)
  }
  return e
}

/** The error to show when opening `path` to write failed with `e`: read-only file, folder or -wal/-shm files; anything else unchanged. */
export function writeOpenError(path: string, e: unknown): unknown {
  const code = codeOf(e)
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new MldbError(
      `cannot write ${path}: its folder is not writable, and SQLite needs to create ${path}-wal and -shm beside it; fix the folder's permissions or pick another --db`,
    )
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new MldbError(`cannot write ${path}: the file or its -wal/-shm files are read-only (${code}); fix their permissions or pick another --db`)
  }
  return e
}
