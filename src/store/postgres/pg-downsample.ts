import type { Pool } from 'pg'
import type { Bucket, DownsampleOptions } from '../downsample.js'

/** Below this many points in range, reading raw points is cheaper than blocks (as on SQLite). */
const RAW_LIMIT = 20_000

interface Item {
  step: number
  time: number
  min: number | null
  max: number | null
  last: number | null
  count: number
  nan: number
}

/**
 * Min/max/last per bucket over a step range on PostgreSQL, by the rule of
 * src/store/downsample.ts: long ranges read the 64-point blocks plus raw points
 * at the edges, short ranges read raw points, and a block counts in the bucket
 * of its first step; so both backends draw the same chart.
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
  const width = (to - from + 1) / buckets

  const items: Item[] = []
  const raw = async (lo: number, hi: number) => {
    const r = await pool.query({
      text: 'SELECT step, time, value FROM points WHERE series_id = $1 AND step >= $2 AND step <= $3 ORDER BY step, seq',
      values: [seriesId, lo, hi],
      rowMode: 'array',
    })
    for (const [step, time, value] of r.rows as [number, number, number][]) {
      const v = Number.isNaN(value) ? null : value
      items.push({ step, time, min: v, max: v, last: v, count: 1, nan: v === null ? 1 : 0 })
    }
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

  const out: Bucket[] = []
  let cur: Bucket | undefined
  let curIndex = -1
  for (const it of items) {
    const index = Math.min(buckets - 1, Math.floor((it.step - from) / width))
    if (!cur || index !== curIndex) {
      cur = { step: it.step, time: it.time, min: Number.NaN, max: Number.NaN, last: Number.NaN, count: 0, nanCount: 0 }
      curIndex = index
      out.push(cur)
    }
    if (it.min !== null && !(cur.min <= it.min)) cur.min = it.min
    if (it.max !== null && !(cur.max >= it.max)) cur.max = it.max
    cur.last = it.last === null ? Number.NaN : it.last
    cur.time = it.time
    cur.count += it.count
    cur.nanCount += it.nan
  }
  return out
}
