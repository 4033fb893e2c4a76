import { bindNow, compileFilter, compileOrderBy, isBlankFilter, type SqlFragment, STATUS_SQL } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { fieldNames } from './field-names.js'
import { foldTails, fromSql } from './points.js'
import { decodeStoredJson, storedJsonColumnsSql } from './stored-json.js'
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

interface Row {
  id: number
  name: string
  project: string
  status: string
  stored_status: string
  created_at: number
  started_at: number | null
  ended_at: number | null
  updated_at: number
  heartbeat_at: number | null
  host: string | null
  pid: number | null
  notes: string
  deleted_at: number | null
}

/** The WHERE clause and parameters for a listing; shared by list and count. `db` resolves short filter names (`lr`). */
export function listWhere(options: ListOptions, db?: Sqlite): SqlFragment {
  const conds: string[] = [options.trashed ? 'e.deleted_at IS NOT NULL' : 'e.deleted_at IS NULL']
  const params: unknown[] = []
  if (options.project !== undefined) {
    conds.push('p.name = ?')
    params.push(options.project)
  }
  if (options.status !== undefined) {
    // Canonical statuses (and LOST) match whatever the case; free text matches as written.
    conds.push(`upper(${STATUS_SQL}) = upper(?)`)
    params.push(options.status)
  }
  if (options.name !== undefined) {
    if (options.name.includes('*')) {
      conds.push('e.name GLOB ?')
      params.push(options.name)
    } else {
      conds.push('e.name = ?')
      params.push(options.name)
    }
  }
  if (options.ids) {
    conds.push('e.id IN (SELECT value FROM json_each(?))')
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
 * Experiments with their params, tags and series summaries, in three queries
 * whatever their number (the dashboard lists 10,000 at once).
 */
export function listExperiments(db: Sqlite, options: ListOptions = {}, now = Date.now()): ExperimentSummary[] {
  foldTails(db)
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  const limit = options.limit ?? -1
  const offset = options.offset ?? 0
  const sql = bindNow(
    `SELECT e.id, e.name, p.name AS project, ${STATUS_SQL} AS status, e.status AS stored_status,
       e.created_at, e.started_at, e.ended_at, e.updated_at, e.heartbeat_at, e.host, e.pid, e.notes, e.deleted_at
     FROM experiments e JOIN projects p ON p.id = e.project_id
     WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
    now,
  )
  const rows = db.prepare(sql).all(...where.params, ...order.params, limit, offset) as Row[]
  if (rows.length === 0) return []
  const byId = new Map<number, ExperimentSummary>()
  const out = rows.map((r) => {
    const s: ExperimentSummary = {
      id: r.id,
      name: r.name,
      project: r.project,
      status: r.status,
      storedStatus: r.stored_status,
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      updatedAt: r.updated_at,
      heartbeatAt: r.heartbeat_at,
      durationMs: r.started_at === null ? null : (r.ended_at ?? (r.status === 'LOST' ? (r.heartbeat_at ?? r.updated_at) : now)) - r.started_at,
      host: r.host,
      pid: r.pid,
      notes: r.notes,
      deletedAt: r.deleted_at,
      params: {},
      tags: {},
      series: {},
    }
    byId.set(r.id, s)
    return s
  })
  // A short page names its ids; a long listing repeats the WHERE instead, since
  // probing 10,000 ids one by one costs more than a scan joined to the filter.
  const short = rows.length <= 2000
  // On a long listing, the unary + keeps SQLite from probing the index once per
  // id: one scan of each table is about twice as fast (measured, 10k experiments).
  const col = short ? 'experiment_id' : '+experiment_id'
  const ids: SqlFragment = short
    ? { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(rows.map((r) => r.id))] }
    : { sql: bindNow(`SELECT e.id FROM experiments e JOIN projects p ON p.id = e.project_id WHERE ${where.sql}`, now), params: where.params }
  // A value written before the limits existed shows as a marker (stored-json.ts), never an error.
  for (const [id, key, value, bytes] of db
    .prepare(`SELECT experiment_id, key, ${storedJsonColumnsSql('value')} FROM params WHERE ${col} IN (${ids.sql})`)
    .raw()
    .all(...ids.params) as [number, string, string | null, number][]) {
    const e = byId.get(id)
    if (e) e.params[key] = decodeStoredJson(value, bytes)
  }
  for (const [id, key, value] of db
    .prepare(`SELECT experiment_id, key, value FROM tags WHERE ${col} IN (${ids.sql})`)
    .raw()
    .all(...ids.params) as [number, string, string][]) {
    const e = byId.get(id)
    if (e) e.tags[key] = value
  }
  const seriesRows = db
    .prepare(
      `SELECT experiment_id, name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count
       FROM series WHERE ${col} IN (${ids.sql})`,
    )
    .raw()
    .all(...ids.params) as [number, string, string, number, number | null, number | null, number | null, number | null, number | null, number | null, number][]
  for (const r of seriesRows) {
    const e = byId.get(r[0])
    if (!e) continue // beyond the page (a long listing with an offset)
    const summary = seriesFromRow(r.slice(1) as SeriesRow)
    e.series[summary.key] = summary
  }
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
  foldTails(db)
  const where = listWhere(options, db)
  const sql = bindNow(`SELECT count(*) AS n FROM experiments e JOIN projects p ON p.id = e.project_id WHERE ${where.sql}`, now)
  return (db.prepare(sql).get(...where.params) as { n: number }).n
}
