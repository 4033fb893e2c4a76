/**
 * The filter language, end to end: parse (parse.ts) → a small tree (ast.ts) →
 * short forms resolved against the file (resolve.ts) → SQL for one dialect
 * (compile-sqlite.ts, compile-postgres.ts). The rules a third client needs are
 * in docs/schema.md, "Filter language"; test/golden/filters.json pins them.
 */
import { sql } from '../named-sql.js'
import { compileSqliteFilter, compileSqliteOrderBy, type SqlFragment } from './compile-sqlite.js'
import { parseFilter, parseOrderBy } from './parse.js'
import { type NameLookup, NO_NAMES, resolveFilter, resolveOrderBy } from './resolve.js'
import { quoteKey } from './text.js'

export type { SqlFragment } from './compile-sqlite.js'
export { parseSeriesKey } from './parse.js'
export type { NameLookup } from './resolve.js'
export { bindNow, LOST_AFTER_MS, STATUS_SQL } from './status.js'
export { isBlank as isBlankFilter } from './text.js'

/**
 * Parses a filter into a parameterised SQLite condition over `experiments e JOIN
 * projects p` (`TRUE` when blank). `lookup` tells what the file's short names
 * are (`lr` → params.lr); without it only full names are understood. `@now`
 * inside the SQL is bound by the caller.
 *
 * @example
 * compileFilter("params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'")
 */
export function compileFilter(filter: string, lookup: NameLookup = NO_NAMES): SqlFragment {
  const ast = resolveFilter(parseFilter(filter), lookup, filter)
  return ast ? compileSqliteFilter(ast) : { sql: 'TRUE', params: [] }
}

/**
 * An ORDER BY term: a field and optional asc/desc, as in `metrics.valid/loss desc`
 * (or a short form, `valid/loss desc`, with a lookup). Empty values sort last
 * either way. Blank means the default order, newest first.
 *
 * @example compileOrderBy('min(metrics.valid/loss) desc')
 */
export function compileOrderBy(orderBy: string, lookup: NameLookup = NO_NAMES): SqlFragment {
  const order = resolveOrderBy(parseOrderBy(orderBy), lookup, orderBy)
  return order ? compileSqliteOrderBy(order) : { sql: sql('listing/order-default'), params: [] }
}

/**
 * A series key as a filter field, quoted when it holds characters the
 * tokenizer would read otherwise: `valid/loss` → metrics.valid/loss,
 * `top-1 acc` → metrics.`top-1 acc`.
 *
 * @example seriesField('top-1 acc') // 'metrics.`top-1 acc`'
 */
export function seriesField(key: string): string {
  return `metrics.${quoteKey(key)}`
}
