import { type BucketItem, foldBuckets, pointItem, RAW_LIMIT } from './bucket-fold.js'
import type { Sqlite } from './connection.js'
import { foldTails } from './points.js'

/**
 * The bucket (0..n-1) of a step in from..to. Integer arithmetic while it is exact, so every
 * path (and SQL) cuts a range alike; a float width past 2^53 only.
 */
export function bucketOf(step: number, from: number, to: number, n: number): number {
  const span = to - from + 1
  const b = span * n <= Number.MAX_SAFE_INTEGER ? Math.floor(((step - from) * n) / span) : Math.floor((step - from) / (span / n))
  return Math.min(n - 1, b)
}

/** One bucket of a downsampled series; NaNs are counted, never averaged away. */
export interface Bucket {
  /** first step in the bucket */
  step: number
  /** wall time (ms) of the bucket's last point */
  time: number
  min: number
  max: number
  last: number
  count: number
  nanCount: number
}

export interface DownsampleOptions {
  buckets?: number
  /** first step to include (default: the series' first) */
  from?: number
  /** last step to include (default: the series' last) */
  to?: number
}

/**
 * Min/max/last per bucket over a step range. Long ranges read the 64-point
 * blocks (a million points are ~16k rows) plus raw points at the edges; short
 * ranges read raw points. Either way a spike or a NaN stays visible.
 */
export function downsample(db: Sqlite, seriesId: number, options: DownsampleOptions = {}): Bucket[] {
  // The range defaults to the summary's steps: take in points logged one by one since the last fold.
  foldTails(db, [seriesId])
  const s = db.prepare('SELECT count, first_step, last_step, blocked_until FROM series WHERE id = ?').get(seriesId) as
    | { count: number; first_step: number | null; last_step: number | null; blocked_until: number | null }
    | undefined
  if (!s || s.count === 0 || s.first_step === null || s.last_step === null) return []
  const from = Math.max(options.from ?? s.first_step, s.first_step)
  const to = Math.min(options.to ?? s.last_step, s.last_step)
  if (to < from) return []
  const buckets = Math.max(1, Math.min(options.buckets ?? 1000, 100_000))

  const items: BucketItem[] = []
  const raw = (lo: number, hi: number) => {
    const rows = db
      .prepare('SELECT step, time, value FROM points WHERE series_id = ? AND step >= ? AND step <= ? ORDER BY step, seq')
      .raw()
      .all(seriesId, lo, hi) as [number, number, number | null][]
    for (const [step, time, v] of rows) items.push(pointItem(step, time, v))
  }

  const inRange = db
    .prepare(
      'SELECT coalesce(sum(count), 0) AS n, min(first_step) AS lo, max(last_step) AS hi FROM point_blocks WHERE series_id = ? AND first_step >= ? AND last_step <= ?',
    )
    .get(seriesId, from, to) as { n: number; lo: number | null; hi: number | null }
  if (inRange.n < RAW_LIMIT || inRange.lo === null || inRange.hi === null) {
    raw(from, to)
  } else {
    raw(from, inRange.lo - 1)
    const blocks = db
      .prepare(
        'SELECT first_step, last_time, min_value, max_value, last_value, count, nan_count FROM point_blocks WHERE series_id = ? AND first_step >= ? AND last_step <= ? ORDER BY first_step',
      )
      .raw()
      .all(seriesId, from, to) as [number, number, number | null, number | null, number | null, number, number][]
    for (const [step, time, min, max, last, count, nan] of blocks) items.push({ step, time, min, max, last, count, nan })
    raw(inRange.hi + 1, to)
  }

  return foldBuckets(items, from, to, buckets)
}
