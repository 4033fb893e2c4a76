import { bindNow, compileFilter, compileOrderBy, isBlankFilter, type SqlFragment, STATUS_SQL } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { LIST_SUMMARY_SQL, refreshExperimentLists } from './experiment-lists.js'
import { fieldNames } from './field-names.js'
import { foldTails, fromSql } from './points.js'
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

/** A listing row: the experiment's columns, its experiment_lists summary, whether that was missing. */
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
  summary: string,
  stale: number,
]

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
 * Experiments with their params, tags and series summaries, in one query that
 * reads one experiment_lists row per experiment (migration 008) — built on the
 * fly for an experiment whose row the triggers dropped, then stored again when
 * the connection can write.
 */
export function listExperiments(db: Sqlite, options: ListOptions = {}, now = Date.now()): ExperimentSummary[] {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  // After the filter compiled: a rejected call writes nothing.
  foldTails(db)
  const limit = options.limit ?? -1
  const offset = options.offset ?? 0
  const sql = bindNow(
    `SELECT e.id, e.name, p.name, ${STATUS_SQL}, e.status, e.created_at, e.started_at, e.ended_at, e.updated_at,
       e.heartbeat_at, e.host, e.pid, e.notes, e.deleted_at, coalesce(l.summary, ${LIST_SUMMARY_SQL}), l.summary IS NULL
     FROM experiments e JOIN projects p ON p.id = e.project_id LEFT JOIN experiment_lists l ON l.experiment_id = e.id
     WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
    now,
  )
  const rows = db
    .prepare(sql)
    .raw()
    .all(...where.params, ...order.params, limit, offset) as Row[]
  let stale = false
  const out = rows.map((r) => {
    if (r[15]) stale = true
    const [params, tags, series] = JSON.parse(r[14]) as [ExperimentSummary['params'], ExperimentSummary['tags'], SeriesRow[]]
    const byKey: ExperimentSummary['series'] = {}
    for (const row of series) {
      const s = seriesFromRow(row)
      byKey[s.key] = s
    }
    const [id, name, project, status, storedStatus, createdAt, startedAt, endedAt, updatedAt, heartbeatAt, host, pid, notes, deletedAt] = r
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
      params,
      tags,
      series: byKey,
    }
  })
  // Keep what was built for the next listing (a no-op when nothing is missing or the connection is read-only).
  if (stale) refreshExperimentLists(db)
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
  const sql = bindNow(`SELECT count(*) AS n FROM experiments e JOIN projects p ON p.id = e.project_id WHERE ${where.sql}`, now)
  return (db.prepare(sql).get(...where.params) as { n: number }).n
}
