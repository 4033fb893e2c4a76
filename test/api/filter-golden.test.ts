import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FilterSyntaxError } from '../../src/index.js'
import { astToJson } from '../../src/query/ast.js'
import type { NameLookup } from '../../src/query/filter.js'
import { parseFilter, parseOrderBy } from '../../src/query/parse.js'
import { resolveFilter, resolveOrderBy } from '../../src/query/resolve.js'

// The contract both clients are held to; python/tests/test_filter_golden.py loads the same file.
interface Outcome {
  ast?: unknown
  parsed?: unknown
  error?: { column: number; message: string }
}
const golden = JSON.parse(readFileSync(new URL('../golden/filters.json', import.meta.url), 'utf8')) as {
  names: { params: string[]; series: string[] }
  filters: (Outcome & { filter: string })[]
  orderBy: (Outcome & { orderBy: string })[]
}
const lookup: NameLookup = (key) => ({ param: golden.names.params.includes(key), series: golden.names.series.includes(key) })

function outcome(run: () => unknown): Outcome {
  try {
    return { ast: JSON.parse(astToJson(run() as never)) }
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e
    return { error: { column: e.column, message: e.message } }
  }
}

describe('the golden filters (test/golden/filters.json)', () => {
  it('covers trees, short forms, errors and every limit', () => {
    expect(golden.filters.filter((c) => c.error).length).toBeGreaterThan(40)
    expect(golden.filters.filter((c) => c.parsed).length).toBeGreaterThan(3)
    expect(golden.filters.some((c) => c.error?.message.startsWith('the filter nests deeper'))).toBe(true)
  })

  it.each(golden.filters.map((c) => [c.filter.length > 60 ? `${c.filter.slice(0, 60)}…` : c.filter, c] as const))('%s', (_, c) => {
    const { parsed, filter: _filter, ...expected } = c
    expect(outcome(() => resolveFilter(parseFilter(c.filter), lookup, c.filter))).toEqual(expected)
    if (parsed) expect(outcome(() => parseFilter(c.filter)).ast).toEqual(parsed)
  })

  it.each(golden.orderBy.map((c) => [c.orderBy, c] as const))('order by %s', (_, c) => {
    const { orderBy, ...expected } = c
    expect(outcome(() => resolveOrderBy(parseOrderBy(orderBy), lookup, orderBy))).toEqual(expected)
  })
})
