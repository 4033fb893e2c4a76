// The one place that turns SQLite's own failures into mldb errors (issue 8
// item 6, issue 9 item 3). SQLite says "database or disk is full" or "disk I/O
// error" without naming the file or the way out; these name both and keep the
// code. python/mldb/sqlite_errors.py is the same table for the Python client.
import { accessSync, constants, existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { CorruptDatabaseError, DatabaseBusyError, DatabaseIoError, DiskFullError, MldbError, ReadOnlyDatabaseError, type SqliteFailure } from '../errors.js'

/** Whether SQLite could create files beside `path` and write it (false on a read-only mount or file). */
function writable(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK)
    if (existsSync(path)) accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * SQLite's result code of a driver error (`SQLITE_BUSY_SNAPSHOT`...), '' for anything else:
 * the one place that reads `code` off an unknown error.
 *
 * @example if (sqliteCode(e).startsWith('SQLITE_BUSY')) retry()
 */
export function sqliteCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

/** What the user can do about each kind of failure, by the primary code. */
function describeFailure(code: string, path: string, busySeconds: number): { make: new (m: string, c: string) => SqliteFailure; message: string } | undefined {
  const base = code.replace(/^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/, '$1')
  switch (base) {
    case 'SQLITE_FULL':
      return {
        make: DiskFullError,
        message: `cannot write ${path}: the disk holding it is full (${code}); free space on that file system (or move the database to a bigger one) and retry; nothing of this call was written`,
      }
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return {
        make: DatabaseBusyError,
        message: `${path} stayed locked by another process for over ${busySeconds} s (${code}); find it with \`fuser ${path}\` (a long transaction or a stuck program), let it finish or stop it, and retry; nothing of this call was written`,
      }
    case 'SQLITE_CANTOPEN':
      // A WAL database on a read-only mount cannot even be read without its -shm file.
      if (writable(path)) return undefined
      return {
        make: ReadOnlyDatabaseError,
        message: `cannot open ${path}: it or its folder is read-only, and SQLite must create ${path}-shm beside it even to read it (${code}); make them writable, or copy the file somewhere writable`,
      }
    case 'SQLITE_READONLY':
      return {
        make: ReadOnlyDatabaseError,
        message: `cannot write ${path}: it is read-only (${code}); make the file, its -wal and -shm files and its folder writable (SQLite needs to create -shm even to read), or copy it somewhere writable`,
      }
    case 'SQLITE_IOERR':
      return {
        make: DatabaseIoError,
        message: `the operating system failed a read or write of ${path} (${code}); check the disk and the file system (dmesg), and that nothing moved or deleted the file or its -wal while it was open; then run \`mldb doctor\``,
      }
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return {
        make: CorruptDatabaseError,
        message: `${path} is damaged or not an SQLite database (${code}); run \`mldb doctor\` to see what is wrong, then restore a backup or \`mldb export\` what is still readable into a new file`,
      }
    default:
      return undefined
  }
}

/**
 * The mldb error for a failure SQLite reported while working on `path`
 * (disk full, busy past the timeout, read-only, I/O error, corrupt file), or
 * `e` itself when it is something else (an MldbError, a constraint, a bug).
 *
 * @example
 * try { stmt.run() } catch (e) { throw sqliteError(e, db.name) }
 */
export function sqliteError(e: unknown, path: string, options: { sql?: string; busySeconds?: number } = {}): unknown {
  if (e instanceof MldbError) return e
  const code = sqliteCode(e)
  if (!code.startsWith('SQLITE_')) return e
  const d = describeFailure(code, path, options.busySeconds ?? 10)
  if (!d) return e
  const err = new d.make(d.message, code)
  Object.assign(err, { sql: options.sql, cause: e })
  return err
}

/**
 * Wraps every method of `proto` so that SQLite's failures leave it as mldb
 * errors. One wrapper at the API's edge rather than a try/catch in each of
 * its methods: new methods are covered without remembering to, and the
 * success path costs one extra call.
 *
 * @example mapSqliteErrors(Database.prototype, (db) => db.path)
 */
export function mapSqliteErrors<T extends object>(proto: T, pathOf: (self: T) => string, busySeconds?: (self: T) => number): void {
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor') continue
    const desc = Object.getOwnPropertyDescriptor(proto, key)
    if (!desc || typeof desc.value !== 'function') continue
    const fn = desc.value as (...args: unknown[]) => unknown
    const wrapped = {
      [key](this: T, ...args: unknown[]): unknown {
        try {
          return fn.apply(this, args)
        } catch (e) {
          throw sqliteError(e, pathOf(this), { busySeconds: busySeconds?.(this) })
        }
      },
    }[key] as (...args: unknown[]) => unknown
    Object.defineProperty(proto, key, { ...desc, value: wrapped })
  }
}
