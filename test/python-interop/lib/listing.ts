import type BetterSqlite3 from 'better-sqlite3'
import { type Database, FilterSyntaxError, MldbError } from '../../../src/index.js'
import { compileFilter, isBlankFilter } from '../../../src/query/filter.js'
import { fieldNames } from '../../../src/store/field-names.js'

/** One listing both clients run: interop.py's `listings` takes the same shape. */
export interface Query {
  where?: string
  order_by?: string
  limit?: number
  best?: string
  mode?: 'min' | 'max'
}

/**
 * What the TypeScript client makes of a query, shaped as interop.py's `listings`: the
 * names listed (or the best one), the compiled SQL and parameters, or the
 * FilterSyntaxError's message and column (another refusal: its class name). `file` is a second connection to the same
 * file, for the short names.
 */
export function tsListing(db: Database, file: BetterSqlite3.Database, q: Query): Record<string, unknown> {
  try {
    let r: Record<string, unknown>
    if (q.best !== undefined) {
      const best = db.bestExperiment(q.best, q.mode ?? 'min', { where: q.where })
      r = { best: best === undefined ? null : [best.name, best.best] }
    } else r = { names: db.listExperiments({ where: q.where, orderBy: q.order_by, limit: q.limit }).map((e) => e.name) }
    if (q.where !== undefined && !isBlankFilter(q.where)) {
      const f = compileFilter(q.where, fieldNames(file))
      r.sql = f.sql
      r.params = f.params
    }
    return JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))) as Record<string, unknown>
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { error: e.message, column: e.column }
    // another refusal (a series key that is no key): its kind, the message is each client's own
    if (e instanceof MldbError) return { refused: e.constructor.name }
    throw e
  }
}
