/**
 * Writes test/golden/filters.json from the cases below and what the TypeScript
 * parser makes of them: `npx tsx test/golden/make-filters-golden.ts && npx biome
 * format --write test/golden/filters.json`. Review the
 * diff before committing it: the file is the contract both clients are tested
 * against (test/api/filter-golden.test.ts, python/tests/test_filter_golden.py).
 */
import { writeFileSync } from 'node:fs'
import { FilterSyntaxError } from '../../src/errors.js'
import type { NameLookup } from '../../src/query/filter.js'
import { parseFilter, parseOrderBy } from '../../src/query/parse.js'
import { resolveFilter, resolveOrderBy } from '../../src/query/resolve.js'

const names = { params: ['lr', 'optimizer', 'dup', 'model.depth', 'top-1'], series: ['valid/loss', 'rmse', 'dup', 'top-1 acc'] }
const lookup: NameLookup = (key) => ({ param: names.params.includes(key), series: names.series.includes(key) })

const rep = (s: string, n: number, sep = ''): string => Array.from({ length: n }, () => s).join(sep)

const filters: string[] = [
  // the README's and the listing tests' filters
  "params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'",
  "min(metrics.valid/loss) < 0.2 or (params.optimizer in ('adam', 'sgd') and not tags.team = 'x')",
  "name like '2026%' and duration > 60 and started > '2026-08-01'",
  'max(metrics.valid/loss) >= 1 and count(metrics.rmse) = 1 and last(metrics.rmse) != 0',
  'tags.team is null and metrics.rmse is not null and host is null',
  'params.optimizer not in ("sgd") and name not like \'a%\'',
  'params.lr == 0.01 or params.lr <> 0.05 or params.lr != 1',
  "params.lr < 1 AND NOT name = 'x' Or TAGS.a = 'b' and Metrics.rmse > 0",
  // numbers
  'metrics.x > -inf and metrics.x < Infinity and metrics.x != +INF',
  'metrics.x > -1.5e-3 and metrics.x < .5 and metrics.x > 1. and metrics.x < 1E+2 and metrics.x > 1e999',
  // values: booleans, text fields take unquoted values as written
  'params.flag = TRUE or params.flag != false',
  'tags.flag = true or tags.n = 1e0 or tags.m in (1, 2.50) or name = 12',
  "status = 'complete' or status in ('lost', 'Failed', 'custom') or status like 'comp%'",
  // quoting
  "name = 'it''s' or name = \"say \"\"hi\"\"\" or name = 'x'' OR 1=1 --'",
  "params.`learning rate` = 1 and metrics.`top-1 acc` > 0.5 and tags.`a``b` = 'x' and params.`not` = 1",
  'params.`` = 1',
  // unicode: letters of any script, columns in code points
  "metrics.genauigkeit_ü = -inf and params.学习率 > 0 and name = '😀' and params.x = 1",
  "name = '😀😀' and 𝑥 = 1",
  // letters and digits by Unicode 17.0, whatever tables a client's runtime has (U+A7CB, U+1E030, U+11380: Unicode 15-16)
  'params.\ua7cbx = 1 or params.\u{1e030}\u{1e4f0} = 2 or params.a\u{11380} = 3',
  "tags.team = 'x' and \u{11380} = 1",
  // a lone surrogate is no Unicode text, also inside a string: refused before anything else
  "name = 'a\udc00' and (",
  'params.x = 1 and\ud83d',
  // white space: the Unicode White_Space set
  'params.lr\u00a0<\u30000.1\tand\nparams.lr\u0085>\u20090',
  "\u2028status\u2029=\r'COMPLETE'\u000b",
  // dates: ISO 8601 only, UTC without an offset
  "created > '2026-08-03' and created < '2026-08-03T10:00Z' and created != '2026-08-03t10:00:30z'",
  "started >= '2026-08-03T12:00:00.1239+02:00' and started < '2026-08-03 10:00' and ended > '2026-08-03T10:00-0130'",
  "updated > 1785715200000 and ended < '0001-01-01' and created in ('2024-02-29', '2000-02-29T23:59:59Z')",
  // short forms, resolved against the file's names
  'lr < 0.1 and valid/loss < 0.3',
  'min(valid/loss) < 0.2 and max(rmse) > 0 and model.depth >= 3 and top-1 = 5',
  "lr is not null and rmse is null and optimizer in ('adam')",
  // errors: message and column the same in every client
  'params.lr < 0.1 and and',
  'params.lr < 0.1; DROP TABLE experiments',
  'bogus = 1',
  'dup = 1',
  'min(nothing) < 1',
  "valid/loss = 'x'",
  'min(status) < 1',
  'min(params.lr) < 1',
  'min(1) < 1',
  "name = 'abc",
  'params.`abc = 1',
  '`lr` = 1',
  "name = '😀' and ?",
  "name = '😀😀' and params.x = 1 and #",
  "created > 'Aug 3 2026'",
  "created > '2026-02-30'",
  "created > '2026-08-03T24:00Z'",
  "created > '2026/08/03'",
  "created > '2026-08-03 '",
  "created > '2026-08-03T10:00+25:00'",
  "created > 'yesterday'",
  'created > true',
  "params.lr in (1, 'a')",
  'params.lr = null',
  'params.lr = nan',
  'name like 1',
  "metrics.x = 'a'",
  "duration > '1'",
  'params. = 1',
  'params = 1',
  'params.lr < ',
  'metrics.x < 1 or',
  'params.lr in 1',
  'params.lr in (1 2)',
  'params.lr is 1',
  '(params.lr = 1',
  'params.lr = 1)',
  'params.lr = -.x',
  'params.lr = \u200b1',
  'params.lr = \ufeff1',
  'params.lr ~ 1',
  // limits: depth 32, 256 comparisons, 1,000 values in a list, 10,000 characters
  `${rep('(', 32)}params.lr = 1${rep(')', 32)}`,
  `${rep('(', 33)}params.lr = 1${rep(')', 33)}`,
  `${rep('not ', 32)}params.lr = 1`,
  `${rep('not ', 33)}params.lr = 1`,
  rep('params.lr = 1', 256, ' or '),
  rep('params.lr = 1', 257, ' or '),
  `params.lr in (${rep('1', 1000, ',')})`,
  `params.lr in (${rep('1', 1001, ',')})`,
  `name = '${rep('x', 9991)}'`,
  `name = '${rep('x', 9992)}'`,
  `name = '${rep('😀', 9992)}'`,
  // blank: no filter
  '',
  ' \t\n\u3000',
]

const orderBys: string[] = [
  'params.lr desc',
  'min(metrics.valid/loss) DESC',
  'metrics.`top-1 acc` Asc',
  'name',
  'valid/loss desc',
  'min(valid/loss)',
  'lr',
  'created\u00a0desc',
  'params.lr sideways',
  'params.\nlr desc',
  'params.lr desc desc',
  'dup desc',
  'bogus',
  // every stage names a sort key, not a filter: the tokenizer, and the short form of a series
  'name;',
  'min(nothing) desc',
  '',
]

function outcome(parse: () => unknown): Record<string, unknown> {
  try {
    return { ast: parse() }
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e
    return { error: { column: e.column, message: e.message } }
  }
}

/** The tree before short forms are resolved, for the filters that have some. */
function parsedWhenBare(filter: string): { parsed?: unknown } {
  try {
    const parsed = parseFilter(filter)
    return JSON.stringify(parsed).includes('"bare"') ? { parsed } : {}
  } catch {
    return {}
  }
}

const golden = {
  comment:
    'Filters and sort keys with the tree each parses to (ast, short forms resolved against `names`; parsed: before resolving), or the error. Written by make-filters-golden.ts; asserted by both clients.',
  names,
  filters: filters.map((filter) => ({
    filter,
    ...outcome(() => resolveFilter(parseFilter(filter), lookup, filter)),
    ...parsedWhenBare(filter),
  })),
  orderBy: orderBys.map((orderBy) => ({ orderBy, ...outcome(() => resolveOrderBy(parseOrderBy(orderBy), lookup, orderBy)) })),
}

// ±Infinity cannot be JSON: written as strings, which `kind: "number"` tells apart from text.
const json = JSON.stringify(golden, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1)
writeFileSync(new URL('./filters.json', import.meta.url), `${json}\n`)
