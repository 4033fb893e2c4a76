// Small scale helpers for the hand-drawn SVG plots (parallel coordinates, scatter).
import type { ExperimentSummary, Json } from './api'

/** Maps a value of one axis to [0, 1]; numeric (linear or log) or categorical. */
export interface Axis {
  key: string
  label: string
  kind: 'number' | 'category'
  log: boolean
  /** every value is positive, so a log axis can show them (the switch is offered) */
  canLog: boolean
  categories: string[]
  min: number
  max: number
  pos: (v: unknown) => number | undefined
  ticks: { at: number; label: string }[]
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))))

/** Positive values spanning a decade or more get a log axis (lr 1e-4..3e-3 on 8 runs, not only on 100s). */
export const LOG_SPAN = 10

/**
 * An axis fitted to the values (undefined values are left off the axis); `scale`
 * overrides the choice of log or linear made from the data's span.
 *
 * @example makeAxis('lr', 'lr', [1e-4, 3e-3]).log // true
 */
export function makeAxis(key: string, label: string, values: unknown[], scale?: 'log' | 'lin'): Axis {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  const present = values.filter((v) => v !== undefined && v !== null)
  if (present.length > 0 && nums.length === present.length) {
    let min = nums.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)
    let max = nums.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)
    const canLog = min > 0
    const log = canLog && (scale === 'log' || (scale !== 'lin' && max / min >= LOG_SPAN))
    if (min === max) {
      min -= 1
      max += 1
    }
    const f = log ? Math.log10 : (v: number) => v
    const a = f(min)
    const b = f(max)
    const pos = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? (f(v) - a) / (b - a) : undefined)
    // a log axis over two decades or more ticks at the powers of ten (1e-4, 1e-3, …), not at 5.6e-4
    const decades = log ? Array.from({ length: Math.floor(b) - Math.ceil(a) + 1 }, (_, i) => Math.ceil(a) + i) : []
    const ticks =
      decades.length >= 2
        ? // one form for the whole axis: 1e-4 … 1e-1, or 0.01 … 100
          decades.map((d) => ({ at: (d - a) / (b - a), label: decades.some((x) => x < -3 || x > 5) ? `1e${d}` : String(10 ** d) }))
        : Array.from({ length: 5 }, (_, i) => {
            const t = a + ((b - a) * i) / 4
            return { at: i / 4, label: fmt(log ? 10 ** t : t) }
          })
    return { key, label, kind: 'number', log, canLog, categories: [], min, max, pos, ticks }
  }
  const categories = [...new Set(present.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))].sort()
  const n = Math.max(1, categories.length - 1)
  const index = new Map(categories.map((c, i) => [c, categories.length === 1 ? 0.5 : i / n]))
  const pos = (v: unknown) => (v === undefined || v === null ? undefined : index.get(typeof v === 'string' ? v : JSON.stringify(v)))
  return {
    key,
    label,
    kind: 'category',
    log: false,
    canLog: false,
    categories,
    min: 0,
    max: 1,
    pos,
    ticks: categories.map((c) => ({ at: index.get(c) ?? 0, label: c })),
  }
}

/** A colour from blue (0) to yellow (1), viridis-like, for the chosen metric. */
export function heat(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ]
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  const f = x - i
  const a = stops[i] as number[]
  const b = stops[i + 1] as number[]
  const c = (k: number) => Math.round((a[k] as number) + ((b[k] as number) - (a[k] as number)) * f)
  return `rgb(${c(0)}, ${c(1)}, ${c(2)})`
}

/** The metric value of an experiment for the hyperparameter views. */
export function metricOf(e: ExperimentSummary, key: string, agg: 'last' | 'min' | 'max'): number | undefined {
  const s = e.series[key]
  if (!s || s.count === 0) return undefined
  const v = s[agg]
  return Number.isFinite(v) ? v : undefined
}

/** Param keys worth an axis: present somewhere and not all equal. */
export function varyingParams(exps: readonly ExperimentSummary[]): string[] {
  const seen = new Map<string, Set<string>>()
  for (const e of exps)
    for (const [k, v] of Object.entries(e.params) as [string, Json][]) {
      let s = seen.get(k)
      if (!s) {
        s = new Set()
        seen.set(k, s)
      }
      if (s.size < 2) s.add(JSON.stringify(v))
    }
  return [...seen].filter(([, s]) => s.size > 1).map(([k]) => k)
}
