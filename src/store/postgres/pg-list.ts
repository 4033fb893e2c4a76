import type { Pool } from 'pg'
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
  const r = await pool.query(
    `SELECT k.key,
       EXISTS (SELECT 1 FROM params WHERE key = k.key) AS param,
       EXISTS (SELECT 1 FROM series WHERE name = k.name AND split = k.split) AS series
     FROM unnest($1::text[], $2::text[], $3::text[]) AS k(key, name, split)`,
    [list, names, splits],
  )
  const found = new Map<string, { param: boolean; series: boolean }>(r.rows.map((row) => [row.key, { param: row.param, series: row.series }]))
  return (key) => found.get(key) ?? { param: false, series: false }
}

/** A listing's WHERE condition, ORDER BY and parameters on PostgreSQL; the same options and meaning as listWhere (SQLite). */
export async function pgListQuery(pool: Pool, options: ListOptions): Promise<{ where: string; order: string; params: unknown[] }> {
  const filterAst = typeof options.where === 'string' && !isBlankFilter(options.where) ? parseFilter(options.where) : null
  const orderAst = options.orderBy ? parseOrderBy(options.orderBy) : null
  const lookup = await lookupNames(pool, bareKeys(orderAst, bareKeys(filterAst, new Set())))
  const conds: string[] = [options.trashed ? 'e.deleted_at IS NOT NULL' : 'e.deleted_at IS NULL']
  const params: unknown[] = []
  const bind = (v: unknown) => {
    params.push(v)
    return `$${params.length}`
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
    conds.push(renumber(f.sql, params.length))
    params.push(...f.params)
  }
  let order = 'e.created_at DESC, e.id DESC'
  const resolved = orderAst && resolveOrderBy(orderAst, lookup, options.orderBy as string)
  if (resolved) {
    const o = compilePostgresOrderBy(resolved)
    order = `${renumber(o.sql, params.length)}, e.id DESC`
    params.push(...o.params)
  }
  const now = Date.now()
  return { where: bindNow(conds.join(' AND '), now), order: bindNow(order, now), params }
}

/**
 * JSON text pieces, concatenated by PostgreSQL. json_build_object looks up how
 * to print every argument's type on every row (half a second for 50,000 series
 * rows); plain concatenation of the same text takes a tenth of that. Strings go
 * through to_json (JSON escaping); numbers print as PostgreSQL prints them, which
 * is what json_build_object wrote too (float8's shortest exact form).
 */
const str = (col: string) => `coalesce(to_json(${col})::text, 'null')`
const int = (col: string) => `coalesce((${col})::text, 'null')`
/** A double precision summary column: NULL (NaN, as SQLite keeps it) and the values JSON cannot hold are quoted, as mldb's JSON writes them. */
const num = (col: string) =>
  `(CASE WHEN ${col} IS NULL OR ${col} = 'NaN'::float8 THEN '"NaN"' WHEN ${col} = 'Infinity'::float8 THEN '"Infinity"' WHEN ${col} = '-Infinity'::float8 THEN '"-Infinity"' ELSE ${col}::text END)`
/** `{"k":v,...}` from key/value text pairs, in order. */
const fields = (pairs: [string, string][]) => pairs.map(([k, v], i) => `'${i === 0 ? '{' : ','}"${k}":' || ${v}`).join(' || ')

const KEY = "(CASE WHEN s.split = '' THEN s.name ELSE s.split || '/' || s.name END)"

const SERIES_JSON = fields([
  ['name', str('s.name')],
  // most series have no split: spare that to_json call
  ['split', `(CASE WHEN s.split = '' THEN '""' ELSE to_json(s.split)::text END)`],
  ['key', str(KEY)],
  ['count', int('s.count')],
  ['firstStep', int('s.first_step')],
  ['lastStep', int('s.last_step')],
  ['lastTime', int('s.last_time')],
  ['last', `(CASE WHEN s.count = 0 THEN '"NaN"' ELSE ${num('s.last_value')} END)`],
  ['min', num('s.min_value')],
  ['max', num('s.max_value')],
  ['nanCount', int('s.nan_count')],
])

/**
 * The SELECT list of one experiment as ExperimentSummary JSON text, built by
 * PostgreSQL (one row per experiment, no per-row round trips). `@now` is bound by the caller.
 */
export const SUMMARY_JSON = `(${fields([
  ['id', int('e.id')],
  ['name', str('e.name')],
  ['project', str('p.name')],
  ['status', str(STATUS_SQL)],
  ['storedStatus', str('e.status')],
  ['createdAt', int('e.created_at')],
  ['startedAt', int('e.started_at')],
  ['endedAt', int('e.ended_at')],
  ['updatedAt', int('e.updated_at')],
  ['heartbeatAt', int('e.heartbeat_at')],
  [
    'durationMs',
    int(
      `CASE WHEN e.started_at IS NULL THEN NULL ELSE coalesce(e.ended_at, CASE WHEN ${STATUS_SQL} = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at END`,
    ),
  ],
  ['host', str('e.host')],
  ['pid', int('e.pid')],
  ['notes', str('e.notes')],
  ['deletedAt', int('e.deleted_at')],
  // a param's value is stored as JSON text: written as it is
  [
    'params',
    `coalesce((SELECT '{' || string_agg(to_json(x.key)::text || ':' || x.value, ',' ORDER BY x.key COLLATE "C") || '}' FROM params x WHERE x.experiment_id = e.id), '{}')`,
  ],
  [
    'tags',
    `coalesce((SELECT '{' || string_agg(to_json(x.key)::text || ':' || to_json(x.value)::text, ',' ORDER BY x.key COLLATE "C") || '}' FROM tags x WHERE x.experiment_id = e.id), '{}')`,
  ],
  [
    'series',
    `coalesce('{' || (SELECT string_agg(to_json(${KEY})::text || ':' || ${SERIES_JSON} || '}', ',' ORDER BY s.name COLLATE "C", s.split COLLATE "C") FROM series s WHERE s.experiment_id = e.id) || '}', '{}')`,
  ],
])} || '}')`
