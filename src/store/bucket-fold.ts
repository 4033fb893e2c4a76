import { type Bucket, bucketOf } from './downsample.js'

/**
 * The rule both backends draw a chart by (src/store/downsample.ts on SQLite,
 * postgres/pg-downsample.ts): long ranges read the 64-point blocks plus raw
 * points at the edges, short ranges read raw points, and a block counts in the
 * bucket of its first step. Only the reading differs; the folding is here.
 */

/** Below this many points in range, reading raw points is cheaper than blocks. */
export const RAW_LIMIT = 20_000

/** A raw point (count 1) or a block, in step order; NULL min/max/last mean NaN (as stored). */
export interface BucketItem {
  step: number
  time: number
  min: number | null
  max: number | null
  last: number | null
  count: number
  nan: number
}

/** A raw point as a BucketItem (`value` null or NaN: a NaN point). */
export function pointItem(step: number, time: number, value: number | null): BucketItem {
  const v = value === null || Number.isNaN(value) ? null : value
  return { step, time, min: v, max: v, last: v, count: 1, nan: v === null ? 1 : 0 }
}

/**
 * Min/max/last per bucket of `buckets` equal step ranges over [from, to]; NaNs
 * are counted, never averaged away, and a bucket without items is left out.
 *
 * @example foldBuckets([pointItem(0, 0, 1), pointItem(1, 0, 3)], 0, 1, 1) // one bucket, min 1, max 3
 */
export function foldBuckets(items: readonly BucketItem[], from: number, to: number, buckets: number): Bucket[] {
  const out: Bucket[] = []
  let cur: Bucket | undefined
  let curIndex = -1
  for (const it of items) {
    const index = bucketOf(it.step, from, to, buckets)
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
