import type { Pool } from 'pg'
import { sql } from '../../named-sql.js'
import type { Field, Filter, OrderBy } from '../../query/ast.js'
import { compilePostgresFilter, compilePostgresOrderBy } from '../../query/compile-postgres.js'
import { bindNow, isBlankFilter, STATUS_SQL } from '../../query/filter.js'
import { parseFilter, parseOrderBy } from '../../query/parse.js'
import { type NameLookup, resolveFilter, resolveOrderBy } from '../../query/resolve.js'
import type { ListOptions } from '../experiments.js'

/** `$n` placeholders numbered from where the statement's other parameters end. */
function renumber(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)
}

function bareKeys(f: Filter | OrderBy | null, out: Set<string>): Set<string> {
  if (!f) return out
  const field = (x: Field) => {
    if (x.kind === 'bare') out.add(x.key)
  }
  if ('direction' in f) field(f.field)
  else if (f.type === 'and' || f.type === 'or') for (const a of f.args) bareKeys(a, out)
  else if (f.type === 'not') bareKeys(f.arg, out)
  else field(f.field)
  return out
}

/**
 * The short names (`lr`, `valid/loss`) of a filter and sort key looked up in one
 * query, then answered synchronously as resolve.ts expects (the SQLite store
 * asks the file per name; here every question is a round trip).
 */
async function lookupNames(pool: Pool, keys: Set<string>): Promise<NameLookup> {
  if (keys.size === 0) return () => ({ param: false, series: false })
  const list = [...keys]
  const splits = list.map((k) => (k.includes('/') ? k.slice(0, k.indexOf('/')) : ''))
  const names = list.map((k) => (k.includes('/') ? k.slice(k.indexOf('/') + 1) : k))
  const r = await pool.query(sql('listing/field-names', 'postgres'), [list, names, splits])
  const found = new Map<string, { param: boolean; series: boolean }>(r.rows.map((row) => [row.key, { param: row.param, series: row.series }]))
  return (key) => found.get(key) ?? { param: false, series: false }
}

/**
 * A listing's WHERE condition, ORDER BY and parameters on PostgreSQL; the same options and
 * meaning as listWhere (SQLite). The parameters are numbered from `$first` (the named
 * statement's own come before them).
 */
export async function pgListQuery(pool: Pool, options: ListOptions, first = 1): Promise<{ where: string; order: string; params: unknown[] }> {
  const filterAst = typeof options.where === 'string' && !isBlankFilter(options.where) ? parseFilter(options.where) : null
  const orderAst = options.orderBy ? parseOrderBy(options.orderBy) : null
  const lookup = await lookupNames(pool, bareKeys(orderAst, bareKeys(filterAst, new Set())))
  const conds: string[] = [options.trashed ? 'e.deleted_at IS NOT NULL' : 'e.deleted_at IS NULL']
  const params: unknown[] = []
  const bind = (v: unknown) => {
    params.push(v)
    return `$${params.length + first - 1}`
  }
  if (options.project !== undefined) conds.push(`p.name = ${bind(options.project)}::text`)
  if (options.status !== undefined) conds.push(`upper(${STATUS_SQL}) = upper(${bind(options.status)}::text)`)
  if (options.name !== undefined) {
    if (options.name.includes('*')) {
      // GLOB's * as LIKE's %, everything else literal (case-sensitive, as GLOB)
      const like = options.name.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%')
      conds.push(`e.name LIKE ${bind(like)}::text`)
    } else conds.push(`e.name = ${bind(options.name)}::text`)
  }
  if (options.ids) conds.push(`e.id = ANY(${bind(options.ids)}::bigint[])`)
  const filter = filterAst && resolveFilter(filterAst, lookup, options.where as string)
  if (filter) {
    const f = compilePostgresFilter(filter)
    conds.push(renumber(f.sql, params.length + first - 1))
    params.push(...f.params)
  }
  let order = sql('listing/order-default', 'postgres')
  const resolved = orderAst && resolveOrderBy(orderAst, lookup, options.orderBy as string)
  if (resolved) {
    const o = compilePostgresOrderBy(resolved)
    order = `${renumber(o.sql, params.length + first - 1)}, e.id DESC`
    params.push(...o.params)
  }
  const now = Date.now()
  return { where: bindNow(conds.join(' AND '), now), order: bindNow(order, now), params }
}
