import type { ExperimentSummary, Json } from '../store/types.js'
import { UsageError } from './errors.js'
import { duration, formatNumber, formatParam, relativeTime } from './format.js'
import { type Align, colorStatus } from './output.js'

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

/**
 * A column from its name: an attribute, `params.x`, `tags.x`, `metrics.x`, or a
 * bare name that is a param of some listed experiment, else a series. A bare
 * name that is both (a param `lr` and a scheduler's `lr` series) is refused as
 * `--where` refuses it, rather than hiding the series behind the param.
 */
export function columnFor(name: string, rows: readonly ExperimentSummary[]): Column {
  const attr = ATTRIBUTES[name.toLowerCase()]
  if (attr) return attr
  const dot = name.indexOf('.')
  const head = dot < 0 ? '' : name.slice(0, dot).toLowerCase()
  const rest = name.slice(dot + 1)
  if (head === 'params' || head === 'param') return paramColumn(rest)
  if (head === 'tags' || head === 'tag') return tagColumn(rest)
  if (head === 'metrics' || head === 'metric') return seriesColumn(rest)
  const isParam = rows.some((e) => Object.hasOwn(e.params, name))
  if (isParam && rows.some((e) => Object.hasOwn(e.series, name))) {
    throw new UsageError(`--columns: "${name}" is ambiguous: it names params.${name} and metrics.${name}; write one of them`)
  }
  return isParam ? paramColumn(name) : seriesColumn(name)
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
