import type { Compare, Field, Filter, OrderBy } from './ast.js'
import { ATTRIBUTE_SQL } from './status.js'

/** A piece of SQL with its parameters, in order (`?` for SQLite, `$n` for PostgreSQL). */
export interface SqlFragment {
  sql: string
  params: unknown[]
}

const COLUMNS = { last: 'last_value', min: 'min_value', max: 'max_value', count: 'count' } as const

/** `EXISTS (...)` over the row of a param, tag or series, with cond on it (`x`); the attribute's cond alone. */
function exists(field: Field, cond: string, params: unknown[]): SqlFragment {
  switch (field.kind) {
    case 'param':
      return { sql: `EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = ? AND ${cond})`, params: [field.key, ...params] }
    case 'tag':
      return { sql: `EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = ? AND ${cond})`, params: [field.key, ...params] }
    case 'metric':
      return {
        sql: `EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ? AND ${cond})`,
        params: [field.name, field.split, ...params],
      }
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
      // Params are JSON text; compare numbers with numbers and text with text,
      // never across (SQLite would order any text above any number).
      // A value SQLite cannot parse (written before the depth limit) matches nothing rather than failing.
      const type = 'CASE WHEN json_valid(x.value) THEN json_type(x.value) END'
      const guard = c.kind === 'number' ? `${type} IN ('integer', 'real')` : c.kind === 'bool' ? `${type} IN ('true', 'false')` : `${type} = 'text'`
      return exists(f, `${guard} AND json_extract(x.value, '$') ${op} ${rhs}`, values)
    }
    case 'tag':
      return exists(f, `x.value ${op} ${rhs}`, values)
    case 'metric':
      return exists(f, `x.${COLUMNS[f.agg]} ${op} ${rhs}`, values)
    case 'attr':
      return { sql: `(${ATTRIBUTE_SQL[f.name]} ${op} ${rhs})`, params: values }
    default:
      return unresolved(f)
  }
}

function present(field: Field): SqlFragment {
  if (field.kind === 'attr') return { sql: `(${ATTRIBUTE_SQL[field.name]} IS NOT NULL)`, params: [] }
  if (field.kind === 'bare') return unresolved(field)
  if (field.kind === 'metric' && field.agg !== 'count') return exists(field, `x.${COLUMNS[field.agg]} IS NOT NULL`, [])
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
      expr = {
        sql: "(SELECT CASE WHEN json_valid(x.value) THEN json_extract(x.value, '$') END FROM params x WHERE x.experiment_id = e.id AND x.key = ?)",
        params: [field.key],
      }
      break
    case 'tag':
      expr = { sql: '(SELECT x.value FROM tags x WHERE x.experiment_id = e.id AND x.key = ?)', params: [field.key] }
      break
    case 'metric':
      expr = {
        sql: `(SELECT x.${COLUMNS[field.agg]} FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ?)`,
        params: [field.name, field.split],
      }
      break
    case 'attr':
      expr = { sql: ATTRIBUTE_SQL[field.name], params: [] }
      break
    default:
      return unresolved(field)
  }
  return { sql: `${expr.sql} IS NULL, ${expr.sql} ${order.direction.toUpperCase()}, e.id DESC`, params: [...expr.params, ...expr.params] }
}
