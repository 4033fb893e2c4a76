import type { ExperimentSummary, Json } from '../store/types.js'
import { duration, formatNumber, formatParam, relativeTime } from './format.js'
import { type Align, colorStatus } from './output.js'
import type { ShortKind } from './short-names.js'

/** One column of `mldb ls`: a header, how to read a cell, how to align it. */
export interface Column {
  head: string
  cell(e: ExperimentSummary, now: number): string
  align: Align
  /** which columns a narrow terminal keeps longest: attributes 2, series 1, params and tags 0 */
  priority: number
}

const ATTRIBUTES: Record<string, Column> = {
  name: { head: 'name', cell: (e) => e.name, align: 'left', priority: 2 },
  project: { head: 'project', cell: (e) => e.project, align: 'left', priority: 2 },
  status: { head: 'status', cell: (e) => colorStatus(e.status), align: 'left', priority: 2 },
  started: { head: 'started', cell: (e, now) => relativeTime(e.startedAt ?? e.createdAt, now), align: 'right', priority: 2 },
  created: { head: 'created', cell: (e, now) => relativeTime(e.createdAt, now), align: 'right', priority: 2 },
  ended: { head: 'ended', cell: (e, now) => relativeTime(e.endedAt, now), align: 'right', priority: 2 },
  updated: { head: 'updated', cell: (e, now) => relativeTime(e.updatedAt, now), align: 'right', priority: 2 },
  duration: { head: 'duration', cell: (e) => duration(e.durationMs), align: 'right', priority: 2 },
  host: { head: 'host', cell: (e) => e.host ?? '-', align: 'left', priority: 2 },
  notes: { head: 'notes', cell: (e) => e.notes.split('\n')[0] ?? '', align: 'left', priority: 2 },
}

/** The names `--columns` and `--sort` accept besides params, tags and series. */
export const ATTRIBUTE_NAMES = Object.keys(ATTRIBUTES)

const paramColumn = (key: string): Column => ({ head: key, cell: (e) => formatParam(e.params[key]), align: 'right', priority: 0 })
const tagColumn = (key: string): Column => ({ head: key, cell: (e) => e.tags[key] ?? '-', align: 'left', priority: 0 })
const seriesColumn = (key: string): Column => ({
  head: key,
  cell: (e) => {
    const s = e.series[key]
    return s ? formatNumber(s.last) : '-'
  },
  align: 'right',
  priority: 1,
})

/** The prefix of a full name (`params.lr`, `tag.team`), lower-cased, or '' for a short one. */
function prefixOf(name: string): string {
  const dot = name.indexOf('.')
  const head = dot < 0 ? '' : name.slice(0, dot).toLowerCase()
  return ['params', 'param', 'tags', 'tag', 'metrics', 'metric'].includes(head) ? head : ''
}

/** Whether `--columns` must look `name` up as a param or a series (see short-names.ts): no attribute, no prefix. */
export function isShortColumn(name: string): boolean {
  return !Object.hasOwn(ATTRIBUTES, name.toLowerCase()) && prefixOf(name) === ''
}

/**
 * A column from its name: an attribute, `params.x`, `tags.x`, `metrics.x`, or a
 * short name, shown as what `shortKinds` says it is in the file (short-names.ts
 * refuses one that is both or neither, as `--where` and `--sort` do).
 */
export function columnFor(name: string, shortKinds: ReadonlyMap<string, ShortKind>): Column {
  // own keys only: `constructor` is no attribute
  if (Object.hasOwn(ATTRIBUTES, name.toLowerCase())) return ATTRIBUTES[name.toLowerCase()] as Column
  const head = prefixOf(name)
  const rest = name.slice(name.indexOf('.') + 1)
  if (head === 'params' || head === 'param') return paramColumn(rest)
  if (head === 'tags' || head === 'tag') return tagColumn(rest)
  if (head === 'metrics' || head === 'metric') return seriesColumn(rest)
  return shortKinds.get(name) === 'params' ? paramColumn(name) : seriesColumn(name)
}

/** Params whose value differs between the listed experiments (all of them for one experiment). */
function chosenParams(rows: readonly ExperimentSummary[]): string[] {
  const keys = [...new Set(rows.flatMap((e) => Object.keys(e.params)))].sort()
  if (rows.length <= 1) return keys
  return keys.filter((k) => new Set(rows.map((e) => JSON.stringify(e.params[k] ?? (null as Json)))).size > 1)
}

/**
 * The default columns: who, status, when, how long, the params that were varied,
 * the latest of each series. A narrow terminal drops params before series.
 */
export function defaultColumns(rows: readonly ExperimentSummary[]): Column[] {
  const series = [...new Set(rows.flatMap((e) => Object.keys(e.series)))].sort()
  return [
    ...['name', 'project', 'status', 'started', 'duration'].map((n) => ATTRIBUTES[n] as Column),
    ...chosenParams(rows).map(paramColumn),
    ...series.map(seriesColumn),
  ]
}
