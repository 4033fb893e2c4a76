// Reads about one series by its name and split on PostgreSQL, for `mldb --server URL best`:
// the rule of src/store/series-lookup.ts (SQLite), in PostgreSQL; the step lookup runs the same named SQL.
import type pg from 'pg'
import { parseSeriesKey } from '../../query/filter.js'
import { pgNamed } from './pg-named.js'

/** The distinct (name, split) pairs of the live experiments' series. */
export async function pgLiveSeriesNames(pool: pg.Pool): Promise<{ name: string; split: string }[]> {
  const r = await pool.query('SELECT DISTINCT s.name, s.split FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE e.deleted_at IS NULL')
  return r.rows as { name: string; split: string }[]
}

/** The first step (in step order, then the order logged) at which an experiment's series holds `value`; null if never. */
export async function pgFirstStepWithValue(pool: pg.Pool, exp: string, series: string, value: number): Promise<number | null> {
  const { name, split } = parseSeriesKey(series)
  const r = await pool.query(pgNamed('series/first-step-with-value', { exp, name, split, value }))
  return (r.rows[0]?.step as number | undefined) ?? null
}
