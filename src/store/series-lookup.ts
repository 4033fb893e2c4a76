// Reads about one series by its name and split, for `mldb best`.
import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'

/** Whether any live (not trashed) experiment has a series of this name and split. */
export function liveSeriesExists(db: Sqlite, name: string, split: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE s.name = ? AND s.split = ? AND e.deleted_at IS NULL LIMIT 1')
      .get(name, split) !== undefined
  )
}

/** The first step (in step order, then the order logged) at which an experiment's series holds `value`; null if never. */
export function firstStepWithValue(db: Sqlite, exp: string, name: string, split: string, value: number): number | null {
  const row = db.prepare(sql('series/first-step-with-value')).get({ exp, name, split, value }) as { step: number } | undefined
  return row?.step ?? null
}

/** The distinct (name, split) pairs of the live experiments' series, for "did you mean" suggestions. */
export function liveSeriesNames(db: Sqlite): { name: string; split: string }[] {
  const text = 'SELECT DISTINCT s.name, s.split FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE e.deleted_at IS NULL'
  return db.prepare(text).all() as { name: string; split: string }[]
}
