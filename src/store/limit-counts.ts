import type { Sqlite } from './connection.js'

/**
 * Limits on one experiment's rows, checked at write time by both clients
 * (docs/schema.md, "Limits"): listings read every param and tag of every row,
 * so a million keys on one experiment would slow every listing for everyone.
 *
 * @example EXPERIMENT_LIMITS.params // 1000
 */
export const EXPERIMENT_LIMITS = { params: 1000, tags: 1000, tagBytes: 65_536 } as const

/** How many params (or tags) an experiment has; inside the write, after its inserts. */
export function countRows(db: Sqlite, table: 'params' | 'tags', experimentId: number): number {
  return db.prepare(`SELECT count(*) FROM ${table} WHERE experiment_id = ?`).pluck().get(experimentId) as number
}
