import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { DatabaseError, SchemaVersionError } from '../errors.js'
import { latestVersion, loadMigrations } from './migrations.js'
import { sqliteError } from './sqlite-errors.js'
import { assertWalIntact } from './wal-check.js'
import { WAL_LIMIT_BYTES } from './wal-guard.js'

export type Sqlite = BetterSqlite3.Database

/** How long a writer waits for another process's transaction before retrying. */
export const BUSY_TIMEOUT_MS = 10_000
/** Retries after SQLITE_BUSY outlives the busy timeout (a very long checkpoint, say). */
export const BUSY_RETRIES = 5

export interface OpenOptions {
  readonly?: boolean
  /** how long one attempt waits for another process's lock (default 10 s; retried 5 times) */
  busyTimeoutMs?: number
}

/** How long a call waits in all for a lock before giving up with SQLITE_BUSY, in seconds. */
export function busySeconds(busyTimeoutMs: number = BUSY_TIMEOUT_MS): number {
  return Math.round((busyTimeoutMs * (BUSY_RETRIES + 1)) / 100) / 10
}

function assertSqliteFile(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return
  if (statSync(path).isDirectory()) {
    throw new DatabaseError(`${path} is a folder, not a database file; pass the path of a .db file`)
  }
  // Only stat here, never open(): closing any descriptor of a file drops every POSIX lock this
  // process holds on it, so reading the header while another connection of this process (the
  // sync sender's, a second Database) has it open would strip that connection's SQLite locks,
  // and another process could then take itself for the last one and delete the -wal under it
  // (https://www.sqlite.org/howtocorrupt.html, 2.2). SQLite reports a foreign file as NOTADB.
}

const notSqlite = (path: string, cause: unknown) =>
  new DatabaseError(`${path} is not an SQLite database; check the path (--db, MLDB_DB_PATH or ~/.mldb_config.json)`, undefined, cause)

/**
 * Opens the file with the pragmas every mldb connection uses, then brings the
 * schema up to date. WAL lets readers run beside one writer; synchronous=NORMAL
 * keeps every committed transaction across a killed process (not across power
 * loss), which is the durability a training script needs at 50k commits/s.
 */
export function openSqlite(path: string, options: OpenOptions = {}): Sqlite {
  assertSqliteFile(path)
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true })
  const timeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS
  let db: Sqlite
  try {
    db = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout })
  } catch (e) {
    const mapped = sqliteError(e, path, { busySeconds: busySeconds(timeout) })
    if (mapped !== e) throw mapped
    throw new DatabaseError(`cannot open ${path}: ${(e as Error).message}`, undefined, e)
  }
  try {
    // Refuse a file of another program or of a newer mldb before changing anything in it.
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > latestVersion()) throw newerSchema(path, version, latestVersion())
    if (version === 0) assertEmptyOrMldb(db, path)
    if (!options.readonly) {
      // Only a new, empty file takes it. 1 KiB pages make each one-point commit
      // write 2 KiB to the WAL instead of 8 KiB: per-call logging measured ~30%
      // faster, with listing and downsampling no slower (bench/, 2026-11-26).
      db.pragma('page_size = 1024')
      withBusyRetry(() => db.pragma('journal_mode = WAL'))
      db.pragma('synchronous = NORMAL')
      // Bigger than the default 1000 pages: fewer checkpoints stalling a writer.
      db.pragma('wal_autocheckpoint = 4000')
      // Whenever the WAL starts over, cut the file back to this (wal-guard.ts forces that when it never does).
      db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`)
    }
    db.pragma('foreign_keys = ON')
    migrate(db, path)
  } catch (e) {
    db.close()
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw notSqlite(path, e)
    // A -wal deleted under a writer shows as a short read here: say so rather than "disk I/O error".
    if ((e as { code?: string }).code === 'SQLITE_IOERR_SHORT_READ') assertWalIntact(path)
    throw sqliteError(e, path, { busySeconds: busySeconds(timeout) })
  }
  return db
}

/** Runs fn again while SQLite reports the database busy past its timeout. */
export function withBusyRetry<T>(fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn()
    } catch (e) {
      const code = (e as { code?: string }).code ?? ''
      if (!code.startsWith('SQLITE_BUSY') || attempt >= BUSY_RETRIES) throw e
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 80)
    }
  }
}

/** How long a write made on behalf of a read (folding series tails) waits for another process's lock. */
export const READ_SIDE_WRITE_WAIT_MS = 200

/**
 * Runs `fn`, a write that a read may skip (it takes the write lock, e.g. a
 * transaction's `.immediate()`), waiting at most `waitMs` for another
 * process's lock instead of the connection's full busy timeout and retries:
 * a dashboard read must not stall its server for a minute behind a long
 * import or a foreign lock. Throws SQLITE_BUSY as `fn` does; the connection's
 * own busy timeout is restored either way.
 *
 * @example try { withShortBusyWait(db, () => fold.immediate()) } catch { // read without folding }
 */
export function withShortBusyWait<T>(db: Sqlite, fn: () => T, waitMs = READ_SIDE_WRITE_WAIT_MS): T {
  const own = db.pragma('busy_timeout', { simple: true }) as number
  if (own <= waitMs) return fn()
  db.pragma(`busy_timeout = ${waitMs}`)
  try {
    return fn()
  } finally {
    db.pragma(`busy_timeout = ${own}`)
  }
}

/**
 * Applies the numbered migrations this file lacks. Each runs in BEGIN IMMEDIATE
 * and re-reads user_version inside it, so sixteen processes opening a new file at
 * once apply each migration exactly once.
 */
export function migrate(db: Sqlite, path: string): void {
  const latest = latestVersion()
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > latest) throw newerSchema(path, current, latest)
  if (current === latest) return
  if (db.readonly) {
    throw new SchemaVersionError(`${path} has schema version ${current}; open it once read-write to upgrade it to ${latest}`, current, latest)
  }
  if (current === 0) assertEmptyOrMldb(db, path)
  for (const m of loadMigrations()) {
    withBusyRetry(() =>
      db
        .transaction(() => {
          const v = db.pragma('user_version', { simple: true }) as number
          if (v > latest) throw newerSchema(path, v, latest)
          if (v >= m.version) return
          db.exec(m.sql)
          db.pragma(`user_version = ${m.version}`)
        })
        .immediate(),
    )
  }
}

function newerSchema(path: string, found: number, supported: number): SchemaVersionError {
  return new SchemaVersionError(
    `${path} was written by a newer mldb (schema version ${found}, this one knows up to ${supported}); upgrade mldb to open it`,
    found,
    supported,
  )
}

function assertEmptyOrMldb(db: Sqlite, path: string): void {
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get() as { n: number }
  if (tables.n > 0 && !db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'experiments'").get()) {
    throw new SchemaVersionError(`${path} is an SQLite database but not an mldb one (it has other tables); pick another path`, 0, latestVersion())
  }
}
