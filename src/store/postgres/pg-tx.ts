import type pg from 'pg'
import { isUnavailable } from './pg-store.js'

/**
 * One attempt of a transaction: fn on one pooled connection inside BEGIN/COMMIT,
 * ROLLBACK when it throws. A connection whose ROLLBACK failed, or whose server went
 * away, is destroyed rather than handed back to the pool, so that the next caller
 * does not get it. onFailure runs before the error is thrown again (the store drops
 * its caches there). withPgRetry (pg-locks.ts) runs it again after a deadlock.
 *
 * @example await withPgRetry(() => pgTxOnce(pool, (c) => c.query('UPDATE ...')))
 */
export async function pgTxOnce<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, onFailure?: () => void): Promise<T> {
  const client = await pool.connect()
  let broken = false
  try {
    await client.query('BEGIN')
    const r = await fn(client)
    await client.query('COMMIT')
    return r
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {
      broken = true
    })
    onFailure?.()
    if (isUnavailable(e)) broken = true
    throw e
  } finally {
    client.release(broken)
  }
}
