import type { Compare, Field, Filter, OrderBy } from './ast.js'
import { METRIC_COLUMNS, type SqlFragment } from './compile-sqlite.js'
import { ATTRIBUTE_SQL } from './status.js'

/**
 * The PostgreSQL compiler, for the team server. It assumes the SQLite schema's
 * tables and columns (params.value is JSON text, times are bigint ms, NaN is
 * stored as NULL) and keeps SQLite's meaning where the dialects differ: text
 * orders byte-wise (COLLATE "C"), `like` ignores case and has no escape
 * character (ILIKE ... ESCAPE ''; PostgreSQL folds non-ASCII case too), a value
 * of the wrong JSON type never matches. Placeholders are $1, $2, ... and an
 * `in` list binds one array.
 */

const CAST = { number: 'float8', text: 'text', bool: 'boolean' } as const

class Compiler {
  readonly params: unknown[] = []

  bind(v: unknown, cast: string): string {
    this.params.push(v)
    return `$${this.params.length}::${cast}`
  }

  exists(field: Field, cond: () => string): string {
    switch (field.kind) {
      case 'param': {
        const key = this.bind(field.key, 'text')
        return `EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = ${key} AND ${cond()})`
      }
      case 'tag': {
        const key = this.bind(field.key, 'text')
        return `EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = ${key} AND ${cond()})`
      }
      case 'metric': {
        const name = this.bind(field.name, 'text')
        const split = this.bind(field.split, 'text')
        return `EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = ${name} AND x.split = ${split} AND ${cond()})`
      }
      default:
        return cond()
    }
  }

  compare(c: Compare): string {
    const cast = CAST[c.kind]
    const rhs = (): string => {
      if (c.op === 'in') return `= ANY(${this.bind(c.values, `${cast}[]`)})`
      if (c.op === 'like') return `ILIKE ${this.bind(c.values[0], cast)} ESCAPE ''`
      return `${c.op === '!=' ? '<>' : c.op} ${this.bind(c.values[0], cast)}${c.kind === 'text' ? ' COLLATE "C"' : ''}`
    }
    const f = c.field
    switch (f.kind) {
      case 'param': {
        // CASE, not AND: PostgreSQL may evaluate a cast before a guard beside it.
        const json = { number: 'number', text: 'string', bool: 'boolean' }[c.kind]
        const value = c.kind === 'text' ? "x.value::jsonb #>> '{}'" : `(x.value::jsonb)::${cast}`
        return this.exists(f, () => `(CASE WHEN jsonb_typeof(x.value::jsonb) = '${json}' THEN ${value} END) ${rhs()}`)
      }
      case 'tag':
        return this.exists(f, () => `x.value ${rhs()}`)
      case 'metric':
        return this.exists(f, () => `${METRIC_COLUMNS[f.agg]} ${rhs()}`)
      case 'attr':
        return `(${ATTRIBUTE_SQL[f.name]} ${rhs()})`
      default:
        throw new Error(`BUG: compile a resolved filter (field ${JSON.stringify(f)})`)
    }
  }

  filter(f: Filter): string {
    switch (f.type) {
      case 'and':
      case 'or':
        return `(${f.args.map((a) => this.filter(a)).join(f.type === 'and' ? ' AND ' : ' OR ')})`
      case 'not':
        return `(NOT ${this.filter(f.arg)})`
      case 'exists': {
        const field = f.field
        if (field.kind === 'attr') return `(${ATTRIBUTE_SQL[field.name]} IS NOT NULL)`
        if (field.kind === 'metric' && field.agg !== 'count') return this.exists(field, () => `${METRIC_COLUMNS[field.agg]} IS NOT NULL`)
        return this.exists(field, () => 'TRUE')
      }
      case 'compare':
        return this.compare(f)
    }
  }
}

/**
 * The PostgreSQL condition of a resolved filter over `experiments e JOIN projects p`;
 * `@now` inside is bound by the caller (bindNow).
 *
 * @example compilePostgresFilter(parseFilter('params.lr < 0.1')) // { sql: 'EXISTS (... $1::text ... $2::float8)', params: ['lr', 0.1] }
 */
export function compilePostgresFilter(f: Filter): SqlFragment {
  const c = new Compiler()
  const sql = c.filter(f)
  return { sql, params: c.params }
}

/**
 * The PostgreSQL ORDER BY terms of a resolved sort key; empty values last. Params
 * order as jsonb does (numbers before text), not as SQLite's json_extract.
 *
 * @example compilePostgresOrderBy(parseOrderBy('metrics.valid/loss desc'))
 */
export function compilePostgresOrderBy(order: OrderBy): SqlFragment {
  const c = new Compiler()
  const field = order.field
  let expr: string
  switch (field.kind) {
    case 'param':
      expr = `(SELECT x.value::jsonb FROM params x WHERE x.experiment_id = e.id AND x.key = ${c.bind(field.key, 'text')})`
      break
    case 'tag':
      expr = `(SELECT x.value COLLATE "C" FROM tags x WHERE x.experiment_id = e.id AND x.key = ${c.bind(field.key, 'text')})`
      break
    case 'metric':
      expr = `(SELECT ${METRIC_COLUMNS[field.agg]} FROM series x WHERE x.experiment_id = e.id AND x.name = ${c.bind(field.name, 'text')} AND x.split = ${c.bind(field.split, 'text')})`
      break
    case 'attr':
      expr = ATTRIBUTE_SQL[field.name]
      break
    default:
      throw new Error(`BUG: compile a resolved sort key (field ${JSON.stringify(field)})`)
  }
  return { sql: `${expr} ${order.direction.toUpperCase()} NULLS LAST`, params: c.params }
}
