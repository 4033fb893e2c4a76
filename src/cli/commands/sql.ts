import type { Statement } from 'better-sqlite3'
import type { Command } from 'commander'
import type { Database } from '../../api/database.js'
import { prepareRawSql } from '../../api/raw-sql.js'
import { DatabaseError } from '../../errors.js'
import { sqliteError } from '../../store/sqlite-errors.js'
import { openForRead, openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { color, out, printJson, printTable } from '../output.js'

/** SQLite's own failures (busy, disk full, read-only, ...) as the mldb error saying what to do; the rest as "SQL error". */
function sqlError(db: Database, sql: string, e: unknown): Error {
  // one attempt, no retries: the statement waits the connection's busy timeout once
  const mapped = sqliteError(e, db.path, { sql, busySeconds: db.busyTimeoutMs / 1000 })
  return mapped !== e && mapped instanceof Error ? mapped : new DatabaseError(`SQL error: ${(e as Error).message}`, sql, e)
}

function prepare(db: Database, sql: string): Statement {
  try {
    // the seed's `STATUS="COMPLETE"`: a double-quoted word that names no column is a string
    return prepareRawSql(db, sql)
  } catch (e) {
    // better-sqlite3's "The supplied SQL string contains more than one statement" names no way out
    if (e instanceof RangeError && /more than one statement/.test(e.message)) throw new UsageError('sql runs one statement; run `mldb sql` once for each')
    throw sqlError(db, sql, e)
  }
}

function run<T>(db: Database, sql: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw sqlError(db, sql, e)
  }
}

/** A cell for JSON: blobs as hex, the rest as SQLite returned it. */
function jsonCell(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`
  if (typeof v === 'bigint') return v.toString()
  return v
}

function textCell(v: unknown): string {
  if (v === null) return color.dim('NULL')
  if (Buffer.isBuffer(v)) return `<blob ${v.length} bytes>`
  return String(v)
}

/** `mldb sql "SELECT ..."`: raw SQL over the file, read-only unless --write. */
export function registerSql(program: Command): void {
  withDb(program.command('sql'))
    .description("run one SQL statement (tables, and the seed's views STATUS, LOSS, METRICS, FILES); read-only unless --write")
    .argument('<statement>', 'e.g. "SELECT EXP_ID FROM STATUS WHERE STATUS = \'COMPLETE\'"')
    .option('--write', 'allow a statement that changes the database')
    .option('--json', 'print JSON')
    .action((sql: string, opts: { db?: string; write?: boolean; json?: boolean }) => {
      if (sql.trim() === '') throw new UsageError('sql needs a statement')
      // A read-only connection is the real guard; stmt.readonly gives the clear message first.
      using db = opts.write ? openForWrite(opts.db) : openForRead(opts.db)
      const stmt = prepare(db, sql)
      if (!stmt.readonly && !opts.write) throw new UsageError('this statement changes the database; add --write to run it')
      if (!stmt.reader) {
        const info = run(db, sql, () => stmt.run())
        if (opts.json) printJson({ changes: info.changes, lastInsertRowid: Number(info.lastInsertRowid) })
        else out(`${info.changes} row${info.changes === 1 ? '' : 's'} changed`)
        return
      }
      const names = stmt.columns().map((c) => c.name)
      const rows = run(db, sql, () => stmt.raw().all() as unknown[][])
      if (opts.json) {
        printJson(rows.map((r) => Object.fromEntries(names.map((n, i) => [n, jsonCell(r[i])]))))
        return
      }
      if (rows.length === 0) {
        process.stderr.write('no rows\n')
        return
      }
      printTable(
        names,
        rows.map((r) => r.map(textCell)),
        names.map((_, i) => (typeof rows[0]?.[i] === 'number' ? 'right' : 'left')),
      )
    })
}
