import { sql } from '../named-sql.js'

/**
 * The SQL an experiment's derived status takes: an active experiment whose
 * heartbeat (or last update) is older than LOST_AFTER_MS reads as LOST. It is
 * `sql/status/derived.sql`, the one place both clients read the rule from; the
 * same text serves SQLite and PostgreSQL. Expects the experiments table aliased
 * `e`; `@now` is replaced by the caller with the current time in ms (see
 * bindNow), never with user input.
 *
 * @example db.prepare(bindNow(`SELECT ${STATUS_SQL} FROM experiments e`, Date.now()))
 */
export const STATUS_SQL = sql('status/derived')

/** The heartbeat age after which an active experiment reads as LOST: the number in STATUS_SQL. */
export const LOST_AFTER_MS = lostAfterMs(STATUS_SQL)

function lostAfterMs(rule: string): number {
  const m = /@now - (\d+)\)/.exec(rule)
  if (!m) throw new Error('mldb: sql/status/derived.sql no longer reads "(@now - <ms>)"; update LOST_AFTER_MS with it')
  return Number(m[1])
}

/** The SQL of each attribute over `experiments e JOIN projects p` (sql/filter/attr-*.sql, shared with the Python client); `@now` as in STATUS_SQL. */
export const ATTRIBUTE_SQL = {
  name: sql('filter/attr-name'),
  project: sql('filter/attr-project'),
  status: STATUS_SQL,
  host: sql('filter/attr-host'),
  notes: sql('filter/attr-notes'),
  created: sql('filter/attr-created'),
  started: sql('filter/attr-started'),
  ended: sql('filter/attr-ended'),
  updated: sql('filter/attr-updated'),
  // a LOST run's duration stops at its last heartbeat (sql/status/duration.sql, shared with the Python client)
  duration: sql('status/duration'),
} as const

/**
 * Puts the current time (an integer we made, never user input) where `@now` stands.
 *
 * @example bindNow('SELECT @now', 5) // 'SELECT 5'
 */
export function bindNow(sql: string, now: number): string {
  return sql.replaceAll('@now', String(Math.trunc(now)))
}
