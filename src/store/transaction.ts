import type { Sqlite } from './connection.js'

/** Runs `fn` as one write transaction of the connection and returns what it returns. */
export type Transact = <T>(fn: () => T) => T

/**
 * better-sqlite3's own transactions, made once per connection: outside a
 * transaction `BEGIN IMMEDIATE` (the write lock taken first, so a writer never
 * fails half-way with SQLITE_BUSY), inside one a savepoint, so a nested call
 * that throws undoes only its own rows and leaves the caller's transaction
 * usable. The function to run is the wrapper's argument, so the hot path of
 * logging builds no wrapper per call.
 *
 * @example const transact = immediateTransactions(db); transact(() => db.prepare('INSERT ...').run())
 */
export function immediateTransactions(db: Sqlite): Transact {
  const tx = db.transaction((fn: () => unknown) => fn())
  return <T>(fn: () => T): T => tx.immediate(fn) as T
}
