// Turns per-run bucket lists into the one shared x array uPlot draws from.
import type uPlot from 'uplot'
import type { Bucket } from './api'
import { ema } from './ema'

/** What the x axis shows. */
export type XMode = 'step' | 'time' | 'relative'

/** One line of a chart: one series of one experiment, with its loaded data. */
export interface LineData {
  id: string
  buckets: Bucket[]
  /** start of the experiment (ms), for relative time */
  t0: number
}

/** The x value of a bucket in a mode: steps, or seconds (uPlot's time unit). */
export function xOf(b: Bucket, mode: XMode, t0: number): number {
  if (mode === 'step') return b.step
  if (mode === 'time') return b.time / 1000
  return (b.time - t0) / 1000
}

/** Per line: its own x values and its (smoothed) values, before alignment; kept for the tooltip. */
export interface LineXY {
  xs: Float64Array
  ys: (number | null)[]
  mins: (number | null)[]
  maxs: (number | null)[]
}

const clean = (v: number, log: boolean): number | null => (Number.isFinite(v) && (!log || v > 0) ? v : null)

/** One line's points in the x mode, smoothed, with values a log axis cannot show dropped. */
export function lineXY(line: LineData, mode: XMode, smoothing: number, log: boolean): LineXY {
  const n = line.buckets.length
  const xs = new Float64Array(n)
  const raw: (number | null)[] = new Array(n)
  const mins: (number | null)[] = new Array(n)
  const maxs: (number | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const b = line.buckets[i] as Bucket
    xs[i] = xOf(b, mode, line.t0)
    raw[i] = Number.isFinite(b.last) ? b.last : null
    mins[i] = clean(b.min, log)
    maxs[i] = clean(b.max, log)
  }
  const ys = ema(raw, smoothing).map((v) => (v === null ? null : clean(v, log)))
  return { xs, ys, mins, maxs }
}

/**
 * Aligns lines on the union of their x values (uPlot's data model): each line
 * gets a value column, plus min and max columns when `bands[i]` is not false,
 * with nulls where it has no point.
 */
export function align(lines: LineXY[], bands?: readonly boolean[]): uPlot.AlignedData {
  const same = sharedXs(lines)
  if (same) {
    // the usual sweep: every line on the same x values (same steps, same buckets), so the
    // columns are the lines' own values; no union to sort nor null-filled columns to walk
    const out: (number | null)[][] = []
    lines.forEach((l, li) => {
      if (bands?.[li] !== false) out.push(l.ys.slice(), l.mins.slice(), l.maxs.slice())
      else out.push(l.ys.slice())
    })
    return [Array.from(same), ...out] as uPlot.AlignedData
  }
  let total = 0
  for (const l of lines) total += l.xs.length
  const all = new Float64Array(total)
  let k = 0
  for (const l of lines) {
    all.set(l.xs, k)
    k += l.xs.length
  }
  all.sort()
  const xs: number[] = []
  for (let i = 0; i < all.length; i++) {
    const v = all[i] as number
    if (i === 0 || v !== all[i - 1]) xs.push(v)
  }
  const out: (number | null)[][] = []
  lines.forEach((l, li) => {
    const band = bands?.[li] !== false
    const y: (number | null)[] = new Array(xs.length).fill(null)
    const lo: (number | null)[] = band ? new Array(xs.length).fill(null) : []
    const hi: (number | null)[] = band ? new Array(xs.length).fill(null) : []
    // usually both sorted: walk them together, and search when a line steps back in time
    let j = 0
    for (let i = 0; i < l.xs.length; i++) {
      const x = l.xs[i] as number
      while (j < xs.length && (xs[j] as number) < x) j++
      if (xs[j] !== x) j = lowerBound(xs, x)
      y[j] = l.ys[i] ?? null
      if (band) {
        lo[j] = l.mins[i] ?? null
        hi[j] = l.maxs[i] ?? null
      }
    }
    if (band) out.push(y, lo, hi)
    else out.push(y)
  })
  return [xs, ...out] as uPlot.AlignedData
}

/** The x values every line has, when they all have the same strictly increasing ones (else undefined). */
function sharedXs(lines: readonly LineXY[]): Float64Array | undefined {
  const xs = lines[0]?.xs
  if (!xs) return undefined
  for (let i = 1; i < xs.length; i++) if (!((xs[i] as number) > (xs[i - 1] as number))) return undefined
  for (const l of lines) {
    if (l.xs === xs) continue
    if (l.xs.length !== xs.length) return undefined
    for (let i = 0; i < xs.length; i++) if (l.xs[i] !== xs[i]) return undefined
  }
  return xs
}

/** The index of the point of `xs` nearest to x (xs sorted), or -1 when empty. */
export function nearest(xs: Float64Array, x: number): number {
  if (xs.length === 0) return -1
  let lo = 0
  let hi = xs.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  if (lo > 0 && Math.abs((xs[lo - 1] as number) - x) < Math.abs((xs[lo] as number) - x)) return lo - 1
  return lo
}

function lowerBound(xs: number[], x: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
