import { compileOrderBy } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { LISTING_MARKERS, refreshExperimentLists } from './experiment-lists.js'
import { type ListOptions, listWhere } from './experiments.js'
import { fieldNames } from './field-names.js'
import { listingSql } from './listing-sql.js'
import { foldTails } from './points.js'

/**
 * The JSON text (and row count) of `listExperiments(db, options, now)` (an array of
 * ExperimentSummary, as toJson writes it), built by SQLite's JSON functions
 * (sql/listing/experiments-json.sql).
 *
 * Why: the dashboard loads 10,000 experiments at once, and building 60,000
 * objects in JS then stringifying them costs several times the ≤150 ms the
 * API has. SQLite writes each row's JSON in C from the same indexes; numbers
 * come out round-trippable (up to 17 digits). Same filter, order and paging
 * code as listExperiments; a test checks both give equal values.
 */
export function listExperimentsJson(db: Sqlite, options: ListOptions = {}, now = Date.now()): { json: string; count: number } {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  // After the filter compiled: a rejected call writes nothing.
  foldTails(db)
  const rows = db
    .prepare(listingSql('listing/experiments-json', { where: where.sql, order: order.sql }, now))
    .pluck()
    .all(...where.params, ...order.params, options.limit ?? -1, options.offset ?? 0, LISTING_MARKERS) as string[]
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
 * listing's time; the stored rows are text already and go out untouched, SQLite writing
 * each answer row whole so the client only joins them (a quarter less time than splicing
 * the two columns here); the dashboard expands them (web/src/lib/compact-listing.ts).
 *
 * @example const page = listExperimentsCompactJson(db, { project: 'p' }) ?? listExperimentsJson(db, { project: 'p' })
 */
export function listExperimentsCompactJson(db: Sqlite, options: ListOptions = {}, now = Date.now()): { json: string; count: number } | undefined {
  const where = listWhere(options, db)
  const order = compileOrderBy(options.orderBy ?? '', fieldNames(db))
  foldTails(db)
  if (!refreshExperimentLists(db)) return undefined
  const rows = db
    .prepare(listingSql('listing/experiments-compact', { where: where.sql, order: order.sql }, now))
    .pluck()
    .all(...where.params, ...order.params, options.limit ?? -1, options.offset ?? 0) as (string | null)[]
  // a writer dropped a row since the refresh: this answer cannot be compact
  if (rows.includes(null)) return undefined
  return { json: `[${rows.join(',')}]`, count: rows.length }
}
