import type { Statement } from 'better-sqlite3'
import type { Sqlite } from './connection.js'

/**
 * The prepared statements of one connection, each prepared on first use and
 * kept. Preparing costs more than running a small statement, and logging runs
 * the same few statements thousands of times a second; preparing lazily keeps
 * opening a connection cheap and leaves a broken statement to fail when used.
 */
export class Statements {
  private readonly cache = new Map<string, Statement>()

  constructor(readonly db: Sqlite) {}

  /** The cached statement for sql, prepared now if it is new. */
  get(sql: string): Statement {
    let s = this.cache.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }
}
