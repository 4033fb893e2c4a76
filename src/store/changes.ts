import { sql } from '../named-sql.js'
import { LOST_AFTER_MS } from '../query/status.js'
import type { Sqlite } from './connection.js'
import { foldTails } from './points.js'

/** What changed in the database after a moment. */
export interface ChangedIds {
  /** live experiments whose row, heartbeat or points changed, or whose derived status turned LOST */
  ids: number[]
  /** names of experiments moved to the trash */
  trashed: string[]
}

/**
 * Experiments that changed after `since` (ms), for the dashboard's live view.
 * One pass over experiments plus one over series (a few ms at 10,000
 * experiments); no index on last_time is needed at that size.
 *
 * A derived LOST status changes without any write: an active experiment
 * whose last sign of life plus LOST_AFTER_MS falls in [since, now] is included too
 * (sql/status/changed-experiments.sql).
 */
export function changedExperiments(db: Sqlite, since: number, now: number): ChangedIds {
  foldTails(db) // points logged one by one reach series.last_time when folded
  const ids = db.prepare(sql('status/changed-experiments')).pluck().all({ since, now, lost_after_ms: LOST_AFTER_MS }) as number[]
  const trashed = db.prepare(sql('status/trashed-since')).pluck().all(since) as string[]
  return { ids, trashed }
}

/** PRAGMA data_version: changes whenever another connection commits to the file. */
export function dataVersion(db: Sqlite): number {
  return db.pragma('data_version', { simple: true }) as number
}
