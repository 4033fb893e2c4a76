import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'

/**
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK as cached prepared statements. Plain
 * statements rather than better-sqlite3's transaction() wrapper: the wrapper is
 * built per call, and opening a transaction is on the hot path of logging.
 */
export class TransactionStatements {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** Takes the write lock now (SQLITE_BUSY after the busy timeout if another process holds it). */
  begin(): void {
    this.stmts.get('BEGIN IMMEDIATE').run()
  }

  /** Commits the open transaction. */
  commit(): void {
    this.stmts.get('COMMIT').run()
  }

  /** Rolls back the open transaction. */
  rollback(): void {
    this.stmts.get('ROLLBACK').run()
  }
}
