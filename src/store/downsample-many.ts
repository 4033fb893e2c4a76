// Many short series downsampled at once, for a chart panel of a sweep: 300 runs
// × 2 series × 2,000 points are 1.2 million rows, and the per-series path
// (src/store/downsample.ts) spends as long building an object per row as
// SQLite spends reading it. Here each line comes out as the JSON of its columns;
// on the common path (one point per step, no band) SQLite itself writes the
// values' text, so no row crosses into JavaScript at all.
import { floatsJson, intsJson, roundTo } from './bucket-json.js'
import type { Sqlite } from './connection.js'
import { bucketOf, downsample } from './downsample.js'

/** Below this many points a series is read raw here; above, the block path of downsample.ts is cheaper. */
const RAW_LIMIT = 20_000

/** One series to read: an experiment's series by name and split. */
export interface SeriesRef {
  exp: string
  name: string
  split: string
}

/** One downsampled series as columns (see Bucket in downsample.ts for their meaning). */
export interface BucketColumns {
  step: number[]
  time: number[] | undefined
  last: number[]
  min: number[] | undefined
  max: number[] | undefined
  count: number[]
  nanCount: number[]
}

/** Options: the bucket count and step range of downsample(), which columns to fill, and the values' precision. */
export interface ManyOptions {
  buckets: number
  from?: number | undefined
  to?: number | undefined
  /** fill min and max */
  bands: boolean
  /** fill time */
  times: boolean
  /** significant digits of values (default: all, round-trippable) */
  digits?: number | undefined
}

interface SeriesRow {
  id: number
  count: number
  first_step: number | null
  last_step: number | null
  nan_count: number
}

// A value as JSON text, written by SQLite: NaN (stored as NULL) and ±Infinity as strings, as toJson writes them.
const VALUE_TEXT = `CASE WHEN value IS NULL THEN '"NaN"' WHEN value = 9e999 THEN '"Infinity"' WHEN value = -9e999 THEN '"-Infinity"' ELSE printf(@fmt, value) END`
const AT_STEPS = 'FROM points WHERE series_id = @id AND step IN (SELECT value FROM json_each(@steps))'

/**
 * One line's columns as the members of a JSON object, values through `round`
 * (the text every backend's `/api/downsample` answers with).
 *
 * @example columnsJson({ step: [0], time: undefined, last: [1], min: undefined, max: undefined, count: [1], nanCount: [0] }, (v) => v)
 */
export function columnsJson(c: BucketColumns, round: (v: number) => number): string {
  let text = `"step":${intsJson(c.step)},"last":${floatsJson(c.last.map(round))},"count":${intsJson(c.count)},"nanCount":${intsJson(c.nanCount)}`
  if (c.time) text += `,"time":${intsJson(c.time)}`
  if (c.min && c.max) text += `,"min":${floatsJson(c.min.map(round))},"max":${floatsJson(c.max.map(round))}`
  return text
}

/**
 * Downsamples each series the same way `downsample()` does (same buckets, a NaN
 * counted, never averaged away) and returns each line as the members of a JSON
 * object: `"step":[..],"last":[..],"count":[..],"nanCount":[..]` (+ `"time"`,
 * `"min"`, `"max"` when asked). A series that does not exist (or whose
 * experiment is in the trash) comes back as undefined.
 *
 * @example downsampleManyJson(db.sqlite, [{ exp: 'a', name: 'loss', split: 'train' }], { buckets: 600, bands: false, times: false, digits: 7 })
 */
export function downsampleManyJson(db: Sqlite, refs: readonly SeriesRef[], o: ManyOptions): (string | undefined)[] {
  const find = db.prepare(
    `SELECT s.id, s.count, s.first_step, s.last_step, s.nan_count FROM series s JOIN experiments e ON e.id = s.experiment_id
      WHERE e.name = ? AND e.deleted_at IS NULL AND s.name = ? AND s.split = ?`,
  )
  const rows = db.prepare('SELECT step, time, value FROM points WHERE series_id = ? AND step >= ? AND step <= ? ORDER BY step, seq').raw()
  const ends = db.prepare('SELECT step, time, value FROM points WHERE series_id = ? AND step IN (SELECT value FROM json_each(?)) ORDER BY step, seq').raw()
  const endText = db.prepare(`SELECT count(*), group_concat(${VALUE_TEXT}, ',' ORDER BY step, seq) ${AT_STEPS}`).raw()
  const endTextTimes = db
    .prepare(`SELECT count(*), group_concat(${VALUE_TEXT}, ',' ORDER BY step, seq), group_concat(time, ',' ORDER BY step, seq) ${AT_STEPS}`)
    .raw()
  const nBuckets = Math.max(1, Math.min(o.buckets, 100_000))
  const digits = o.digits
  const round = digits === undefined ? (v: number) => v : (v: number) => roundTo(v, digits)
  // past 15 digits printf's text and roundTo's double part ways: those go the general way
  const fmt = digits === undefined || digits > 15 ? undefined : `%.${digits}g`

  const render = (c: BucketColumns): string => columnsJson(c, round)

  const one = (s: SeriesRow): string => {
    const out: BucketColumns = {
      step: [],
      time: o.times ? [] : undefined,
      last: [],
      min: o.bands ? [] : undefined,
      max: o.bands ? [] : undefined,
      count: [],
      nanCount: [],
    }
    if (s.count === 0 || s.first_step === null || s.last_step === null) return render(out)
    const from = Math.max(o.from ?? s.first_step, s.first_step)
    const to = Math.min(o.to ?? s.last_step, s.last_step)
    if (to < from) return render(out)
    if (s.count >= RAW_LIMIT) {
      for (const b of downsample(db, s.id, { buckets: nBuckets, from, to })) {
        out.step.push(b.step)
        out.time?.push(b.time)
        out.last.push(b.last)
        out.min?.push(b.min)
        out.max?.push(b.max)
        out.count.push(b.count)
        out.nanCount.push(b.nanCount)
      }
      return render(out)
    }
    // One point per step and no NaN, and only the line wanted (no band): each bucket is
    // its first step, its point count and its last point, which index seeks find
    // without reading the points between (a tenth of the rows for 2,000 points in 250 buckets).
    if (!o.bands && s.nan_count === 0 && s.count === s.last_step - s.first_step + 1 && to - from + 1 > 2 * nBuckets) {
      const firsts: number[] = []
      const lasts: number[] = []
      let first = from
      while (first <= to) {
        const b = bucketOf(first, from, to, nBuckets)
        // the last step of bucket b: the first step of b + 1, less one
        let last = Math.min(to, from + Math.ceil(((b + 1) * (to - from + 1)) / nBuckets) - 1)
        while (last < to && bucketOf(last + 1, from, to, nBuckets) === b) last++
        while (last > first && bucketOf(last, from, to, nBuckets) !== b) last--
        firsts.push(first)
        lasts.push(last)
        first = last + 1
      }
      const counts = lasts.map((l, k) => l - (firsts[k] as number) + 1)
      const steps = JSON.stringify(lasts)
      if (fmt !== undefined) {
        const [n, values, times] = (o.times ? endTextTimes : endText).get({ id: s.id, steps, fmt }) as [number, string | null, string | null]
        if (n === lasts.length) {
          let text = `"step":${intsJson(firsts)},"last":[${values ?? ''}],"count":${intsJson(counts)},"nanCount":${intsJson(counts.map(() => 0))}`
          if (o.times) text += `,"time":[${times ?? ''}]`
          return text
        }
      } else {
        const got = ends.all(s.id, steps) as [number, number, number | null][]
        if (got.length === lasts.length) {
          got.forEach(([, time, v], k) => {
            out.step.push(firsts[k] as number)
            out.time?.push(time)
            out.last.push(v === null ? Number.NaN : v)
            out.count.push(counts[k] as number)
            out.nanCount.push(0)
          })
          return render(out)
        }
      }
      // a step is missing after all (a concurrent write): read every point below
      out.step.length = out.last.length = out.count.length = out.nanCount.length = 0
      if (out.time) out.time.length = 0
    }
    let cur = -1
    let k = -1
    for (const [step, time, v] of rows.all(s.id, from, to) as [number, number, number | null][]) {
      const index = bucketOf(step, from, to, nBuckets)
      if (index !== cur) {
        cur = index
        k++
        out.step.push(step)
        out.time?.push(time)
        out.last.push(Number.NaN)
        out.min?.push(Number.NaN)
        out.max?.push(Number.NaN)
        out.count.push(0)
        out.nanCount.push(0)
      }
      if (out.time) out.time[k] = time
      out.count[k] = (out.count[k] as number) + 1
      if (v === null) {
        out.last[k] = Number.NaN
        out.nanCount[k] = (out.nanCount[k] as number) + 1
        continue
      }
      out.last[k] = v
      if (out.min && out.max) {
        if (!((out.min[k] as number) <= v)) out.min[k] = v
        if (!((out.max[k] as number) >= v)) out.max[k] = v
      }
    }
    return render(out)
  }

  const read = db.transaction(() =>
    refs.map((ref): string | undefined => {
      const s = find.get(ref.exp, ref.name, ref.split) as SeriesRow | undefined
      return s ? one(s) : undefined
    }),
  )
  return read()
}
