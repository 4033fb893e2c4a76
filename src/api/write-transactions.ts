import { ValidationError } from '../errors.js'
import { type Sqlite, withBusyRetry } from '../store/connection.js'
import { StaleIdError } from '../store/points.js'
import { sqliteCode } from '../store/sqlite-errors.js'
import { immediateTransactions, type Transact } from '../store/transaction.js'
import { describe } from './validate.js'

/**
 * The write transactions of one Database connection, by the rule both clients
 * follow (docs/schema.md, "Transactions"; python/mldb/transactions.py): a write
 * call outside a transaction is its own `BEGIN IMMEDIATE` transaction, retried
 * while another process holds the lock and durable when the call returns;
 * inside a transaction the caller opened (db.transaction(), or one on
 * db.sqlite) it is a savepoint of it: a refused call undoes only its own rows,
 * and the caller's commit makes the rest durable.
 */
export class WriteTransactions {
  private readonly transact: Transact
  /** how many of our own transactions are open: their rollback, not each nested call, drops the cached ids */
  private own = 0

  /**
   * `forget` drops the ids the connection cached (a rolled-back transaction may
   * have created the rows they name, and SQLite may hand those ids out again);
   * `afterCommit` runs after each outermost commit (the WAL guard).
   */
  constructor(
    private readonly sqlite: Sqlite,
    private readonly forget: () => void,
    private readonly afterCommit: () => void,
  ) {
    this.transact = immediateTransactions(sqlite)
  }

  /** Runs fn as one write call: its own transaction, or a savepoint of the open one. */
  write<T>(fn: () => T): T {
    if (this.sqlite.inTransaction) {
      if (this.own > 0) return this.transact(fn)
      // A transaction opened on db.sqlite directly may still roll back unseen: keep nothing this call cached.
      try {
        return this.transact(fn)
      } finally {
        this.forget()
      }
    }
    const once = (): T => {
      // Calls nested in fn (createRun's setParams...) are savepoints of this transaction, which forgets on rollback.
      this.own++
      try {
        const result = this.transact(fn)
        this.afterCommit()
        return result
      } catch (e) {
        this.forget()
        throw e
      } finally {
        this.own--
      }
    }
    try {
      return withBusyRetry(once)
    } catch (e) {
      // An id we had cached is gone (another process purged the experiment): once more, from the names.
      if (e instanceof StaleIdError || sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') return withBusyRetry(once)
      throw e
    }
  }

  /** The caller's transaction (db.transaction): fn runs once, all of it lands or none. */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new ValidationError(`transaction takes a function, got ${describe(fn)}`, 'fn')
    const outermost = !this.sqlite.inTransaction
    // Inside a transaction opened on db.sqlite, which may still roll back unseen.
    const foreign = !outermost && this.own === 0
    let began = false
    const body = (): T => {
      began = true
      const result = fn()
      if (typeof (result as { then?: unknown } | null)?.then === 'function')
        throw new ValidationError('transaction takes a synchronous function; await outside it, or write in several transactions', 'fn')
      return result
    }
    let failed: { error: unknown } | undefined
    this.own++
    try {
      // Only BEGIN IMMEDIATE is retried while busy (fn has not run yet): fn itself runs once.
      const result = withBusyRetry(() => {
        if (failed) throw failed
        try {
          return this.transact(body)
        } catch (e) {
          if (began) failed = { error: e }
          throw e
        }
      })
      if (outermost) this.afterCommit()
      if (foreign) this.forget()
      return result
    } catch (e) {
      // What the rolled-back transaction cached may be other rows' ids by now.
      this.forget()
      throw failed ? failed.error : e
    } finally {
      this.own--
    }
  }
}
