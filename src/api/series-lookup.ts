// Series looked up by their key (`split/name` or `name`), for `mldb best`.
import { parseSeriesKey } from '../query/filter.js'
import { firstStepWithValue, liveSeriesExists } from '../store/series-lookup.js'
import type { Database } from './database.js'

/** Whether any live experiment has the series `key` (e.g. "valid/loss"). */
export function hasLiveSeries(db: Database, key: string): boolean {
  const { name, split } = parseSeriesKey(key)
  return liveSeriesExists(db.sqlite, name, split)
}

/** The first step at which experiment `exp`'s series `key` reached `value`, for "best at step N"; null if it never did. */
export function firstStepReaching(db: Database, exp: string, key: string, value: number): number | null {
  const { name, split } = parseSeriesKey(key)
  return firstStepWithValue(db.sqlite, exp, name, split, value)
}
