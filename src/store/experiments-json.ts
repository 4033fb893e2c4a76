import { bindNow, compileOrderBy, STATUS_SQL } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { PARAMS_JSON_SQL, refreshExperimentLists, SERIES_JSON_SQL, TAGS_JSON_SQL } from './experiment-lists.js'
import { type ListOptions, listWhere } from './experiments.js'
import { fieldNames } from './field-names.js'
import { foldTails } from './points.js'

/**
 * The JSON text (and row count) of `listExperiments(db, options, now)` (an array of
 * ExperimentSummary, as toJson writes it), built by SQLite's JSON functions.
 *
 * Why: the dashboard loads 10,000 experiments at once, and building 60,000
 * objects in JS then stringifying them costs several times the ≤150 ms the
 * API has. SQLite writes each row's JSON in C from the same indexes; numbers
 * come out round-trippable (up to 17 digits). Same filter, order and paging
 * code as listExperiments; a test checks both give equal values. Params and
 * tags come in key order (their primary key's); series in the order of their
 * unique index (name, then split), which spares a sort per experiment.
 */
const BASE_JSON_SQL = `json_object(
       'id', e.id, 'name', e.name, 'project', p.name, 'status', ${STATUS_SQL}, 'storedStatus', e.status,
       'createdAt', e.created_at, 'startedAt', e.started_at, 'endedAt', e.ended_at, 'updatedAt', e.updated_at,
       'heartbeatAt', e.heartbeat_at,
       'durationMs', CASE WHEN e.started_at IS NULL THEN NULL ELSE coalesce(e.ended_at, CASE WHEN ${STATUS_SQL} = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at END,
       'host', e.host, 'pid', e.pid, 'notes', e.notes, 'deletedAt', e.deleted_at`

export function listExperimentsJson(db: Sqlite, options: ListOptions = {}, now = Date.now()): { json: string; count: number } {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  // After the filter compiled: a rejected call writes nothing.
  foldTails(db)
  const sql = bindNow(
    `SELECT ${BASE_JSON_SQL},
       'params', ${PARAMS_JSON_SQL}, 'tags', ${TAGS_JSON_SQL}, 'series', ${SERIES_JSON_SQL}
     )
     FROM experiments e JOIN projects p ON p.id = e.project_id
     WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
    now,
  )
  const rows = db
    .prepare(sql)
    .pluck()
    .all(...where.params, ...order.params, options.limit ?? -1, options.offset ?? 0) as string[]
  return { json: `[${rows.join(',')}]`, count: rows.length }
}

/**
 * The same listing in its compact form: each experiment's own fields, and in place
 * of params, tags and series its `experiment_lists` row as stored —
 * `"summary":[params, tags, [[name, split, count, first_step, last_step, last_time,
 * last_value, min_value, max_value, nan_count], ...]]` (NaN as null, ±Infinity as
 * ±9e999; migrations/008-experiment-lists.sql). Undefined when those rows cannot be
 * brought up to date (a read-only file, a writer holding the lock): use listExperimentsJson.
 *
 * Why: re-reading 50,000 series rows to write them as objects is most of a 10,000-run
 * listing's time; the stored rows are text already and go out untouched (~12 ms),
 * the dashboard expands them (web/src/lib/compact-listing.ts).
 *
 * @example const page = listExperimentsCompactJson(db, { project: 'p' }) ?? listExperimentsJson(db, { project: 'p' })
 */
export function listExperimentsCompactJson(db: Sqlite, options: ListOptions = {}, now = Date.now()): { json: string; count: number } | undefined {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  foldTails(db)
  if (!refreshExperimentLists(db)) return undefined
  const sql = bindNow(
    `SELECT ${BASE_JSON_SQL}), l.summary
     FROM experiments e JOIN projects p ON p.id = e.project_id LEFT JOIN experiment_lists l ON l.experiment_id = e.id
     WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
    now,
  )
  const rows = db
    .prepare(sql)
    .raw()
    .all(...where.params, ...order.params, options.limit ?? -1, options.offset ?? 0) as [string, string | null][]
  const parts: string[] = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const [base, summary] = rows[i] as [string, string | null]
    // a writer dropped the row since the refresh: this answer cannot be compact
    if (summary === null) return undefined
    parts[i] = `${base.slice(0, -1)},"summary":${summary}}`
  }
  return { json: `[${parts.join(',')}]`, count: rows.length }
}
