// The experiments table's columns. A column's id is its field in the filter
// language (`params.lr`, `metrics.valid/loss`, `min(metrics.valid/loss)`), so
// the URL names columns the way the filter box names fields.
import type { ExperimentSummary } from './api'

/** What a column shows. */
export type ColumnKind = 'fixed' | 'param' | 'last' | 'min' | 'max'

/** A parsed column id. */
export interface ColumnSpec {
  id: string
  kind: ColumnKind
  /** the param key or series key */
  key: string
  label: string
  width: number
}

/** The columns every view has, in order. */
export const FIXED_COLUMNS: ColumnSpec[] = [
  { id: 'name', kind: 'fixed', key: 'name', label: 'name', width: 260 },
  { id: 'project', kind: 'fixed', key: 'project', label: 'project', width: 110 },
  { id: 'status', kind: 'fixed', key: 'status', label: 'status', width: 104 },
  { id: 'started', kind: 'fixed', key: 'started', label: 'started', width: 84 },
  { id: 'duration', kind: 'fixed', key: 'duration', label: 'duration', width: 96 },
]

/** Parses a column id; undefined when it is not one. */
export function parseColumn(id: string): ColumnSpec | undefined {
  const fixed = FIXED_COLUMNS.find((c) => c.id === id)
  if (fixed) return fixed
  if (id.startsWith('params.')) return { id, kind: 'param', key: id.slice(7), label: id.slice(7), width: 96 }
  if (id.startsWith('metrics.')) return { id, kind: 'last', key: id.slice(8), label: id.slice(8), width: 104 }
  const m = /^(min|max)\(metrics\.(.+)\)$/.exec(id)
  if (m) return { id, kind: m[1] as 'min' | 'max', key: m[2] as string, label: `${m[1]} ${m[2]}`, width: 104 }
  return undefined
}

/** The id of a column of a series aggregate. */
export function seriesColumnId(key: string, agg: 'last' | 'min' | 'max'): string {
  return agg === 'last' ? `metrics.${key}` : `${agg}(metrics.${key})`
}

/** The value a column sorts and groups by. */
export function columnValue(e: ExperimentSummary, c: ColumnSpec): number | string | undefined {
  switch (c.kind) {
    case 'fixed':
      if (c.id === 'started') return e.startedAt ?? undefined
      if (c.id === 'duration') return e.durationMs ?? undefined
      return e[c.id as 'name' | 'project' | 'status']
    case 'param': {
      const v = e.params[c.key]
      if (v === undefined || v === null) return undefined
      return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v)
    }
    default: {
      const s = e.series[c.key]
      if (!s || s.count === 0) return undefined
      const v = s[c.kind]
      // NaN sorts after every number
      return Number.isNaN(v) ? undefined : v
    }
  }
}

/** Param keys and series keys present in a set of experiments, sorted. */
export function availableKeys(exps: readonly ExperimentSummary[]): { params: string[]; series: string[] } {
  const params = new Set<string>()
  const series = new Set<string>()
  // Keys rarely differ between runs of one sweep; a sample keeps this cheap for 10k rows.
  const step = Math.max(1, Math.floor(exps.length / 500))
  for (let i = 0; i < exps.length; i += step) {
    const e = exps[i] as ExperimentSummary
    for (const k of Object.keys(e.params)) params.add(k)
    for (const k of Object.keys(e.series)) series.add(k)
  }
  return { params: [...params].sort(), series: [...series].sort() }
}

/** A param value as a comparable key: primitives as themselves, the rest as JSON; missing is null. */
function paramKey(v: unknown): unknown {
  if (v === undefined || v === null) return null
  return typeof v === 'object' ? JSON.stringify(v) : v
}

/**
 * Params whose value differs between the experiments (a missing value differs
 * from a present one), as `mldb ls` picks them; every param for one experiment.
 * The others map to their one value, so a menu can say what a hidden column holds.
 */
export function paramVariation(exps: readonly ExperimentSummary[], params: readonly string[]): { varying: string[]; constant: Map<string, unknown> } {
  const first = exps[0]
  if (!first || exps.length === 1) return { varying: [...params], constant: new Map() }
  const varying: string[] = []
  const constant = new Map<string, unknown>()
  for (const k of params) {
    const v0 = paramKey(first.params[k])
    let differs = false
    for (const e of exps) {
      if (paramKey(e.params[k]) !== v0) {
        differs = true
        break
      }
    }
    if (differs) varying.push(k)
    else constant.set(k, first.params[k])
  }
  return { varying, constant }
}

const VALID_SPLITS = /^(valid|validation|val|eval|dev)$/i
const TRAIN_SPLITS = /^train(ing)?$/i

/** Where a series goes among the default columns: validation first, then train, then the rest; loss first in each. */
function seriesRank(key: string): [number, number, string] {
  const slash = key.indexOf('/')
  const split = slash < 0 ? '' : key.slice(0, slash)
  const name = slash < 0 ? key : key.slice(slash + 1)
  const splitRank = VALID_SPLITS.test(split) ? 0 : TRAIN_SPLITS.test(split) ? 1 : 2
  const nameRank = /loss/i.test(name) ? 0 : /^acc(uracy)?$/i.test(name) ? 1 : 2
  return [splitRank, nameRank, key]
}

/** Series keys in default-column order: valid/loss, valid/acc, …, train/loss, train/acc, …, the rest. */
export function orderSeries(keys: readonly string[]): string[] {
  const ranked = keys.map((k) => ({ k, r: seriesRank(k) }))
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || (a.r[2] < b.r[2] ? -1 : a.r[2] > b.r[2] ? 1 : 0))
  return ranked.map((x) => x.k)
}

/** At most this many of each kind by default; the Columns menu has the rest. */
const DEFAULT_PARAMS = 8
const DEFAULT_SERIES = 8

/**
 * Columns to show when the URL chooses none, like `mldb ls`: the params that
 * vary between the listed experiments, then the latest value of each series,
 * validation before train.
 */
export function defaultColumns(exps: readonly ExperimentSummary[]): string[] {
  const { params, series } = availableKeys(exps)
  const { varying } = paramVariation(exps, params)
  return [
    ...varying.slice(0, DEFAULT_PARAMS).map((k) => `params.${k}`),
    ...orderSeries(series)
      .slice(0, DEFAULT_SERIES)
      .map((k) => `metrics.${k}`),
  ]
}
