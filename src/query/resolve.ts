import { FilterSyntaxError } from '../errors.js'
import type { Field, Filter, OrderBy } from './ast.js'
import { FIELD_HELP, parseSeriesKey } from './parse.js'
import { quoteKey } from './text.js'

/**
 * What the file holds under a short name: whether some experiment has a param
 * with that key, and whether some experiment has a series with that
 * `split/name`. The store answers it (src/store/field-names.ts).
 */
export type NameLookup = (key: string) => { param: boolean; series: boolean }

/** A lookup for a file that holds nothing: every short form is unknown. */
export const NO_NAMES: NameLookup = () => ({ param: false, series: false })

/**
 * Turns short forms into full fields: `lr` is `params.lr` when a param `lr`
 * exists and no series has that name, `valid/loss` likewise `metrics.valid/loss`;
 * inside `min(...)` only series count. Attributes (`status`, `name`, ...) were
 * taken by the parser already, so a param named `status` needs `params.status`.
 * Ambiguous or unknown names are a FilterSyntaxError naming the candidates.
 *
 * @example resolveFilter(parseFilter('lr < 0.1'), () => ({ param: true, series: false }), 'lr < 0.1')
 */
export function resolveFilter(ast: Filter | null, lookup: NameLookup, text: string): Filter | null {
  if (!ast) return null
  const walk = (f: Filter): Filter => {
    switch (f.type) {
      case 'and':
      case 'or':
        return { type: f.type, args: f.args.map(walk) }
      case 'not':
        return { type: 'not', arg: walk(f.arg) }
      case 'exists':
        return { ...f, field: resolveField(f.field, lookup, text, f.column, 'where') }
      case 'compare': {
        const field = resolveField(f.field, lookup, text, f.column, 'where')
        if (field.kind === 'metric' && f.kind !== 'number') {
          throw new FilterSyntaxError('metrics compare with numbers, as in metrics.valid/loss < 0.3', text, f.column)
        }
        return { ...f, field }
      }
    }
  }
  return walk(ast)
}

/**
 * A sort key with its short form resolved, as resolveFilter does.
 *
 * @example resolveOrderBy(parseOrderBy('valid/loss desc'), lookup, 'valid/loss desc')
 */
export function resolveOrderBy(order: OrderBy | null, lookup: NameLookup, text: string): OrderBy | null {
  return order && { ...order, field: resolveField(order.field, lookup, text, order.column, 'orderBy') }
}

function resolveField(field: Field, lookup: NameLookup, text: string, column: number, of: 'where' | 'orderBy'): Field {
  if (field.kind !== 'bare') return field
  const key = field.key
  const found = lookup(key)
  const series = { kind: 'metric' as const, ...parseSeriesKey(key), agg: field.agg ?? 'last' }
  if (field.agg) {
    if (found.series) return series
    throw new FilterSyntaxError(`unknown series "${key}" in ${field.agg}(): no experiment has it; write ${field.agg}(metrics.<split>/<name>)`, text, column, of)
  }
  if (found.param && found.series) {
    throw new FilterSyntaxError(`"${key}" is ambiguous: it names params.${quoteKey(key)} and metrics.${quoteKey(key)}; write one of them`, text, column, of)
  }
  if (found.param) return { kind: 'param', key }
  if (found.series) return series
  throw new FilterSyntaxError(`unknown field "${key}": no param or series has that name; ${FIELD_HELP}`, text, column, of)
}
