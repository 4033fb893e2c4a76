import type { Pool } from 'pg'
import { type BucketItem, foldBuckets, pointItem, RAW_LIMIT } from '../bucket-fold.js'
import type { Bucket, DownsampleOptions } from '../downsample.js'

/**
 * Min/max/last per bucket over a step range on PostgreSQL, by the rule of
 * bucket-fold.ts that SQLite's downsample.ts follows too, so both backends draw
 * the same chart; only the reading is PostgreSQL's.
 *
 * @example await pgDownsample(pool, seriesId, { buckets: 1000 })
 */
export async function pgDownsample(pool: Pool, seriesId: number, options: DownsampleOptions = {}): Promise<Bucket[]> {
  const s = (await pool.query('SELECT count, first_step, last_step FROM series WHERE id = $1', [seriesId])).rows[0] as
    | { count: number; first_step: number | null; last_step: number | null }
    | undefined
  if (!s || s.count === 0 || s.first_step === null || s.last_step === null) return []
  const from = Math.max(options.from ?? s.first_step, s.first_step)
  const to = Math.min(options.to ?? s.last_step, s.last_step)
  if (to < from) return []
  const buckets = Math.max(1, Math.min(options.buckets ?? 1000, 100_000))
  const items: BucketItem[] = []
  const raw = async (lo: number, hi: number) => {
    const r = await pool.query({
      text: 'SELECT step, time, value FROM points WHERE series_id = $1 AND step >= $2 AND step <= $3 ORDER BY step, seq',
      values: [seriesId, lo, hi],
      rowMode: 'array',
    })
    for (const [step, time, value] of r.rows as [number, number, number][]) items.push(pointItem(step, time, value))
  }
  const inRange = (
    await pool.query(
      'SELECT coalesce(sum(count), 0) AS n, min(first_step) AS lo, max(last_step) AS hi FROM point_blocks WHERE series_id = $1 AND first_step >= $2 AND last_step <= $3',
      [seriesId, from, to],
    )
  ).rows[0] as { n: string | number; lo: number | null; hi: number | null }
  if (Number(inRange.n) < RAW_LIMIT || inRange.lo === null || inRange.hi === null) {
    await raw(from, to)
  } else {
    await raw(from, inRange.lo - 1)
    const blocks = await pool.query({
      text: 'SELECT first_step, last_time, min_value, max_value, last_value, count, nan_count FROM point_blocks WHERE series_id = $1 AND first_step >= $2 AND last_step <= $3 ORDER BY first_step',
      values: [seriesId, from, to],
      rowMode: 'array',
    })
    for (const [step, time, min, max, last, count, nan] of blocks.rows as [number, number, number | null, number | null, number | null, number, number][])
      items.push({ step, time, min, max, last, count, nan })
    await raw(inRange.hi + 1, to)
  }

  return foldBuckets(items, from, to, buckets)
}
