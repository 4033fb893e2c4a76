// A group of runs drawn as one line: the mean (or median) of its members on a
// shared x grid, with a min–max or ±1 std band, as W&B and Aim draw sweeps.
import type { LineXY } from './align'

/** The aggregate line of a group. */
export type Agg = 'mean' | 'median'
/** The band around it. */
export type BandKind = 'minmax' | 'std'

// Past this many distinct x values in a group, members are sampled on an even grid.
const MAX_GRID = 2000

/** The sorted distinct x values of the members, or an even grid over their span when there are too many. */
function gridOf(members: readonly LineXY[]): Float64Array {
  let total = 0
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const m of members) {
    total += m.xs.length
    if (m.xs.length > 0) {
      lo = Math.min(lo, m.xs[0] as number)
      hi = Math.max(hi, m.xs[m.xs.length - 1] as number)
    }
  }
  if (total === 0) return new Float64Array(0)
  const all = new Float64Array(total)
  let k = 0
  for (const m of members) {
    all.set(m.xs, k)
    k += m.xs.length
  }
  all.sort()
  let n = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i] as number
  if (n <= MAX_GRID) return all.slice(0, n)
  const grid = new Float64Array(MAX_GRID)
  for (let i = 0; i < MAX_GRID; i++) grid[i] = lo + ((hi - lo) * i) / (MAX_GRID - 1)
  return grid
}

/** A member's value at each grid x: linear between its points, null outside its range or across a gap. */
function sample(m: LineXY, grid: Float64Array): (number | null)[] {
  const out: (number | null)[] = new Array(grid.length).fill(null)
  let j = 0
  for (let i = 0; i < grid.length; i++) {
    const x = grid[i] as number
    while (j < m.xs.length - 1 && (m.xs[j + 1] as number) < x) j++
    const x0 = m.xs[j]
    if (x0 === undefined) break
    if (x0 === x) {
      out[i] = m.ys[j] ?? null
      continue
    }
    const x1 = m.xs[j + 1]
    if (x1 === undefined || x0 > x || x1 < x) continue
    const y0 = m.ys[j]
    const y1 = m.ys[j + 1]
    if (y0 === null || y0 === undefined || y1 === null || y1 === undefined) continue
    out[i] = y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
  }
  return out
}

/**
 * The group's line: at each x where any member has a value, the mean or median
 * of those values, with the band's low and high edges in `mins`/`maxs`.
 *
 * @example aggregate([a, b, c], 'median', 'minmax').ys
 */
export function aggregate(members: readonly LineXY[], agg: Agg, band: BandKind): LineXY {
  const grid = gridOf(members)
  const cols = members.map((m) => sample(m, grid))
  const ys: (number | null)[] = new Array(grid.length)
  const mins: (number | null)[] = new Array(grid.length)
  const maxs: (number | null)[] = new Array(grid.length)
  const vals: number[] = []
  for (let i = 0; i < grid.length; i++) {
    vals.length = 0
    for (const c of cols) {
      const v = c[i]
      if (v !== null && v !== undefined) vals.push(v)
    }
    if (vals.length === 0) {
      ys[i] = mins[i] = maxs[i] = null
      continue
    }
    let sum = 0
    for (const v of vals) sum += v
    const mean = sum / vals.length
    let center = mean
    if (agg === 'median') {
      vals.sort((a, b) => a - b)
      const h = vals.length >> 1
      center = vals.length % 2 ? (vals[h] as number) : ((vals[h - 1] as number) + (vals[h] as number)) / 2
    }
    ys[i] = center
    if (band === 'minmax') {
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      for (const v of vals) {
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
      mins[i] = lo
      maxs[i] = hi
    } else {
      let ss = 0
      for (const v of vals) ss += (v - mean) ** 2
      const sd = Math.sqrt(ss / vals.length)
      mins[i] = center - sd
      maxs[i] = center + sd
    }
  }
  return { xs: grid, ys, mins, maxs }
}
