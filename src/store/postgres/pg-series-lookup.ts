// Reads about one series by its name and split on PostgreSQL, for `mldb --server URL best`:
// the rule of src/store/series-lookup.ts (SQLite), in PostgreSQL.
import type pg from 'pg'
import { parseSeriesKey } from '../../query/filter.js'

/** The distinct (name, split) pairs of the live experiments' series. */
export async function pgLiveSeriesNames(pool: pg.Pool): Promise<{ name: string; split: string }[]> {
  const r = await pool.query('SELECT DISTINCT s.name, s.split FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE e.deleted_at IS NULL')
  return r.rows as { name: string; split: string }[]
}

/** The first step (in step order, then the order logged) at which an experiment's series holds `value`; null if never. */
export async function pgFirstStepWithValue(pool: pg.Pool, exp: string, series: string, value: number): Promise<number | null> {
  const { name, split } = parseSeriesKey(series)
  const r = await pool.query(
    `SELECT p.step FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id
     WHERE e.name = $1 AND s.name = $2 AND s.split = $3 AND p.value = $4 ORDER BY p.step, p.seq LIMIT 1`,
    [exp, name, split, value],
  )
  return (r.rows[0]?.step as number | undefined) ?? null
}
