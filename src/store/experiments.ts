import { sql } from '../named-sql.js'
import { compileFilter, compileOrderBy, isBlankFilter, type SqlFragment } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { refreshExperimentLists } from './experiment-lists.js'
import { fieldNames } from './field-names.js'
import { listingSql } from './listing-sql.js'
import { foldTails, fromSql } from './points.js'
import { decodeStoredJson, JSON_LIMITS } from './stored-json.js'
import type { ExperimentSummary, SeriesSummary } from './types.js'

export interface ListOptions {
  project?: string | undefined
  status?: string | undefined
  /** exact name, or a pattern with * wildcards */
  name?: string | undefined
  where?: string | undefined
  orderBy?: string | undefined
  limit?: number | undefined
  offset?: number | undefined
  /** experiments in the trash instead of live ones */
  trashed?: boolean | undefined
  /** only these ids */
  ids?: number[] | undefined
}

/** A row of sql/listing/experiments.sql: the experiment's columns, then its experiment_lists summary (null when missing). */
type Row = [
  id: number,
  name: string,
  project: string,
  status: string,
  storedStatus: string,
  createdAt: number,
  startedAt: number | null,
  endedAt: number | null,
  updatedAt: number,
  heartbeatAt: number | null,
  host: string | null,
  pid: number | null,
  notes: string,
  deletedAt: number | null,
  summary: string | null,
]

/** What a listing shows of an experiment besides its own columns: experiment_lists.summary's shape, parsed. */
type Summary = [ExperimentSummary['params'], ExperimentSummary['tags'], SeriesRow[]]

/** The WHERE clause and parameters for a listing; shared by list and count. `db` resolves short filter names (`lr`). */
export function listWhere(options: ListOptions, db?: Sqlite): SqlFragment {
  const conds: string[] = [sql(options.trashed ? 'listing/where-trashed' : 'listing/where-live')]
  const params: unknown[] = []
  if (options.project !== undefined) {
    conds.push(sql('listing/where-project'))
    params.push(options.project)
  }
  if (options.status !== undefined) {
    conds.push(sql('listing/where-status'))
    params.push(options.status)
  }
  if (options.name !== undefined) {
    conds.push(sql(options.name.includes('*') ? 'listing/where-name-glob' : 'listing/where-name'))
    params.push(options.name)
  }
  if (options.ids) {
    conds.push(sql('listing/where-ids'))
    params.push(JSON.stringify(options.ids))
  }
  if (typeof options.where === 'string' && !isBlankFilter(options.where)) {
    const f = compileFilter(options.where, db && fieldNames(db))
    conds.push(f.sql)
    params.push(...f.params)
  }
  return { sql: conds.join(' AND '), params }
}

/**
 * Experiments with their params, tags and series summaries: one page of
 * sql/listing/experiments.sql, which reads one experiment_lists row per
 * experiment (migration 008). For an experiment whose row the triggers dropped,
 * the tables are read instead (listing/params-of, tags-of, series-of, as the
 * Python client does), and the rows are stored again when the connection can write.
 */
export function listExperiments(db: Sqlite, options: ListOptions = {}, now = Date.now()): ExperimentSummary[] {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  // After the filter compiled: a rejected call writes nothing.
  foldTails(db)
  const text = listingSql('listing/experiments', { where: where.sql, order: order.sql }, now)
  const rows = db
    .prepare(text)
    .raw()
    .all(...where.params, ...order.params, options.limit ?? -1, options.offset ?? 0) as Row[]
  const missing = rows.filter((r) => r[14] === null).map((r) => r[0])
  const fromTables = missing.length > 0 ? summariesFromTables(db, missing) : undefined
  const out = rows.map((r) => {
    const [id, name, project, status, storedStatus, createdAt, startedAt, endedAt, updatedAt, heartbeatAt, host, pid, notes, deletedAt, summary] = r
    const [params, tags, series] = summary === null ? (fromTables?.get(id) ?? [{}, {}, []]) : (JSON.parse(summary) as Summary)
    const byKey: ExperimentSummary['series'] = {}
    for (const row of series) {
      const s = seriesFromRow(row)
      byKey[s.key] = s
    }
    return {
      id,
      name,
      project,
      status,
      storedStatus,
      createdAt,
      startedAt,
      endedAt,
      updatedAt,
      heartbeatAt,
      durationMs: startedAt === null ? null : (endedAt ?? (status === 'LOST' ? (heartbeatAt ?? updatedAt) : now)) - startedAt,
      host,
      pid,
      notes,
      deletedAt,
      params: params ?? {},
      tags: tags ?? {},
      series: byKey,
    }
  })
  // Keep what was missing for the next listing (a no-op when the connection is read-only or locked).
  if (missing.length > 0) refreshExperimentLists(db)
  return out
}

/** The summaries of experiments without an experiment_lists row, read from the params, tags and series tables. */
function summariesFromTables(db: Sqlite, ids: number[]): Map<number, Summary> {
  const out = new Map<number, Summary>(ids.map((id) => [id, [{}, {}, []]]))
  const bind = { ids: JSON.stringify(ids), max_bytes: JSON_LIMITS.maxBytes }
  const params = db.prepare(sql('listing/params-of')).raw().all(bind) as [number, string, string | null, number][]
  // a value written before the limits existed shows as a marker (stored-json.ts), never an error
  for (const [id, key, value, bytes] of params) (out.get(id) as Summary)[0][key] = decodeStoredJson(value, bytes)
  const tags = db.prepare(sql('listing/tags-of')).raw().all({ ids: bind.ids }) as [number, string, string][]
  for (const [id, key, value] of tags) (out.get(id) as Summary)[1][key] = value
  const series = db.prepare(sql('listing/series-of')).raw().all({ ids: bind.ids }) as [number, ...SeriesRow][]
  for (const [id, ...row] of series) (out.get(id) as Summary)[2].push(row)
  return out
}

export type SeriesRow = [string, string, number, number | null, number | null, number | null, number | null, number | null, number | null, number]

/** A series row (name, split, count, first, last step, last time, last, min, max, nans) as a summary. */
export function seriesFromRow([name, split, count, firstStep, lastStep, lastTime, last, min, max, nanCount]: SeriesRow): SeriesSummary {
  return {
    name,
    split,
    key: split ? `${split}/${name}` : name,
    count,
    firstStep,
    lastStep,
    lastTime,
    // an empty series has no last value; a NaN last value is NULL with count > 0
    last: count === 0 ? Number.NaN : fromSql(last),
    min: fromSql(min),
    max: fromSql(max),
    nanCount,
  }
}

/** How many experiments a listing would return without limit. */
export function countExperiments(db: Sqlite, options: ListOptions = {}, now = Date.now()): number {
  const where = listWhere(options, db)
  // After the filter compiled: a rejected call writes nothing.
  foldTails(db)
  return (db.prepare(listingSql('listing/count', { where: where.sql }, now)).get(...where.params) as { n: number }).n
}
