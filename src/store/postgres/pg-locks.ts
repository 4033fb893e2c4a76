/**
 * The one lock order of every PostgreSQL write that touches an experiment
 * (a run), so that an mldb client's sender and an MLflow client writing the
 * same run at once wait for each other instead of deadlocking:
 *
 *   1. the write id's claim (server_writes; only a retry of the same write waits on it)
 *   2. a sweep's or a model's own row, when the write has one (pg-sweeps.ts, pg-registry.ts)
 *   3. the experiment's row, FOR NO KEY UPDATE, as the transaction's first lock on it
 *      (several experiments: in id order)
 *   4. the experiment's series rows, FOR UPDATE in id order (writePgBatch)
 *   5. everything else of the experiment (points, blocks, params, tags, files, inputs)
 *      and the experiment row's own UPDATEs (heartbeat, updated_at, status), which
 *      then wait for nobody.
 *
 * NO KEY UPDATE rather than UPDATE: it still makes every writer of the run wait,
 * but not inserts elsewhere that only reference the row (a model version or a
 * file pointer's foreign key takes KEY SHARE).
 *
 * The lock is SQL text to put in the statement that finds the experiment, so it
 * costs no round trip. A transaction that fails anyway with a deadlock or a
 * serialization failure is run again by withPgRetry.
 */
import type pg from 'pg'

/** The locking clause every writer puts on its experiment row. */
export const EXPERIMENT_LOCK = 'FOR NO KEY UPDATE'

/**
 * Locks a live experiment of that name; its id, or undefined when there is none.
 *
 * @example const id = await lockLiveExperiment(client, 'exp1')
 */
export async function lockLiveExperiment(c: pg.PoolClient, name: string): Promise<number | undefined> {
  const r = await c.query({
    name: 'mldb-lock-live-experiment',
    text: `SELECT id FROM experiments WHERE name = $1 AND deleted_at IS NULL ${EXPERIMENT_LOCK}`,
    values: [name],
  })
  return r.rows[0]?.id as number | undefined
}

/**
 * Locks experiments by id, in id order (any of them, live or trashed).
 *
 * @example await lockExperiments(client, [3])
 */
export async function lockExperiments(c: pg.PoolClient, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await c.query({
    name: 'mldb-lock-experiments',
    text: `SELECT id FROM experiments WHERE id = ANY($1::bigint[]) ORDER BY id ${EXPERIMENT_LOCK}`,
    values: [[...ids]],
  })
}

/** SQLSTATEs after which the whole transaction may simply run again: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001'])

/** A deadlock or a serialization failure: nothing was written, running the transaction again is safe. */
export function isRetryable(e: unknown): boolean {
  return RETRYABLE.has((e as { code?: string })?.code ?? '')
}

/** How many times a transaction runs before its deadlock is the caller's (a 503). */
export const TX_ATTEMPTS = 4

/**
 * Runs one attempt of a transaction, and again (up to TX_ATTEMPTS in all, after a
 * short random pause) while it fails with a deadlock or a serialization failure.
 * The last error is thrown as is: the caller maps it (isUnavailable counts it as
 * "retry shortly").
 *
 * @example const r = await withPgRetry(() => runTransactionOnce(fn))
 */
export async function withPgRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt()
    } catch (e) {
      if (i >= TX_ATTEMPTS || !isRetryable(e)) throw e
      // a random pause so the two sides of a deadlock do not meet again at once
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i))
    }
  }
}
