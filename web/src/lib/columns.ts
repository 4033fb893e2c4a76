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

/** Columns to show when the URL chooses none: a few params and each series' latest value. */
export function defaultColumns(exps: readonly ExperimentSummary[]): string[] {
  const { params, series } = availableKeys(exps)
  return [...params.slice(0, 6).map((k) => `params.${k}`), ...series.slice(0, 5).map((k) => `metrics.${k}`)]
}
