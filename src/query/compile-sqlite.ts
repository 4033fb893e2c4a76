import { sql } from '../named-sql.js'
import type { Compare, Field, Filter, OrderBy } from './ast.js'
import { ATTRIBUTE_SQL } from './status.js'

/** A piece of SQL with its parameters, in order (`?` for SQLite, `$n` for PostgreSQL). */
export interface SqlFragment {
  sql: string
  params: unknown[]
}

/** Each metric aggregate's column of the series row `x` (sql/filter/metric-*.sql); the PostgreSQL compiler writes the same text. */
export const METRIC_COLUMNS = {
  last: sql('filter/metric-last'),
  min: sql('filter/metric-min'),
  max: sql('filter/metric-max'),
  count: sql('filter/metric-count'),
} as const

/** The type guard of a param compared with a value of each kind (sql/filter/param-is-*.sql). */
const PARAM_GUARDS = {
  number: sql('filter/param-is-number'),
  bool: sql('filter/param-is-bool'),
  text: sql('filter/param-is-text'),
} as const

/** A `/*name*\/` slot of a filter fragment (docs/schema.md, "Named SQL"): a block comment, so it cannot collide with `{folder/name}` or a `?`. */
const SLOT = /\/\*([a-z]+)\*\//g

/** The text of the fragment `sql/filter/<name>.sql` with each slot filled; a slot left unfilled is a bug. */
function fill(text: string, slots: Record<string, string>): string {
  return text.replace(SLOT, (_, slot: string) => {
    const value = slots[slot]
    if (value === undefined) throw new Error(`BUG: no SQL for the slot /*${slot}*/ of a filter fragment`)
    return value
  })
}

/** `EXISTS (...)` over the row of a param, tag or series, with cond on it (`x`); the attribute's cond alone. */
function exists(field: Field, cond: string, params: unknown[]): SqlFragment {
  switch (field.kind) {
    case 'param':
      return { sql: fill(sql('filter/exists-param'), { cond }), params: [field.key, ...params] }
    case 'tag':
      return { sql: fill(sql('filter/exists-tag'), { cond }), params: [field.key, ...params] }
    case 'metric':
      return { sql: fill(sql('filter/exists-series'), { cond }), params: [field.name, field.split, ...params] }
    default:
      return { sql: cond, params }
  }
}

function unresolved(field: Field): never {
  throw new Error(`BUG: compile a resolved filter (field ${JSON.stringify(field)})`)
}

function compare(c: Compare): SqlFragment {
  const op = c.op === 'in' ? 'IN' : c.op === 'like' ? 'LIKE' : c.op
  const rhs = c.op === 'in' ? `(${c.values.map(() => '?').join(', ')})` : '?'
  // SQLite has no boolean: true and false are 1 and 0, in params' JSON too.
  const values = c.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))
  const f = c.field
  switch (f.kind) {
    case 'param': {
      // Params are JSON text; compare numbers with numbers and text with text, never across.
      const guard = c.kind === 'number' ? PARAM_GUARDS.number : c.kind === 'bool' ? PARAM_GUARDS.bool : PARAM_GUARDS.text
      return exists(f, `${guard} AND ${sql('filter/param-value')} ${op} ${rhs}`, values)
    }
    case 'tag':
      return exists(f, `${sql('filter/tag-value')} ${op} ${rhs}`, values)
    case 'metric':
      return exists(f, `${METRIC_COLUMNS[f.agg]} ${op} ${rhs}`, values)
    case 'attr':
      return { sql: `(${ATTRIBUTE_SQL[f.name]} ${op} ${rhs})`, params: values }
    default:
      return unresolved(f)
  }
}

function present(field: Field): SqlFragment {
  if (field.kind === 'attr') return { sql: `(${ATTRIBUTE_SQL[field.name]} IS NOT NULL)`, params: [] }
  if (field.kind === 'bare') return unresolved(field)
  if (field.kind === 'metric' && field.agg !== 'count') return exists(field, `${METRIC_COLUMNS[field.agg]} IS NOT NULL`, [])
  return exists(field, 'TRUE', [])
}

/**
 * The SQLite condition of a resolved filter over `experiments e JOIN projects p`;
 * `@now` inside is bound by the caller (bindNow).
 *
 * @example compileSqliteFilter(parseFilter("status = 'COMPLETE'")) // { sql: "(... = ?)", params: ['COMPLETE'] }
 */
export function compileSqliteFilter(f: Filter): SqlFragment {
  switch (f.type) {
    case 'and':
    case 'or': {
      const parts = f.args.map(compileSqliteFilter)
      return { sql: `(${parts.map((p) => p.sql).join(f.type === 'and' ? ' AND ' : ' OR ')})`, params: parts.flatMap((p) => p.params) }
    }
    case 'not': {
      const inner = compileSqliteFilter(f.arg)
      return { sql: `(NOT ${inner.sql})`, params: inner.params }
    }
    case 'exists':
      return present(f.field)
    case 'compare':
      return compare(f)
  }
}

/**
 * The SQLite ORDER BY terms of a resolved sort key; empty values sort last either way,
 * and ties newest row first (`e.id DESC`, as on PostgreSQL), so that every client lists
 * them in one order whatever plan SQLite picks.
 *
 * @example compileSqliteOrderBy(parseOrderBy('params.lr desc'))
 */
export function compileSqliteOrderBy(order: OrderBy): SqlFragment {
  const field = order.field
  let expr: SqlFragment
  switch (field.kind) {
    case 'param':
      expr = { sql: sql('filter/sort-param'), params: [field.key] }
      break
    case 'tag':
      expr = { sql: sql('filter/sort-tag'), params: [field.key] }
      break
    case 'metric':
      expr = { sql: fill(sql('filter/sort-series'), { column: METRIC_COLUMNS[field.agg] }), params: [field.name, field.split] }
      break
    case 'attr':
      expr = { sql: ATTRIBUTE_SQL[field.name], params: [] }
      break
    default:
      return unresolved(field)
  }
  const terms = fill(sql('filter/order-missing-last'), { key: expr.sql, direction: order.direction === 'desc' ? 'DESC' : 'ASC' })
  return { sql: terms, params: [...expr.params, ...expr.params] }
}
