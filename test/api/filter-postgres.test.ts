import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import type { Filter } from '../../src/query/ast.js'
import { compilePostgresFilter, compilePostgresOrderBy } from '../../src/query/compile-postgres.js'
import { bindNow, compileFilter, type SqlFragment } from '../../src/query/filter.js'
import { parseFilter, parseOrderBy } from '../../src/query/parse.js'
import { NO_NAMES, resolveFilter } from '../../src/query/resolve.js'
import { startPostgres } from '../helpers/postgres.js'
import { tempDir } from '../helpers/tmp.js'

const pg = (filter: string): SqlFragment => compilePostgresFilter(resolveFilter(parseFilter(filter), NO_NAMES, filter) as Filter)

describe('the PostgreSQL compiler', () => {
  it('binds every value as a typed $n parameter, and an in list as one array', () => {
    expect(pg("params.lr < 0.1 and status = 'complete'")).toEqual({
      sql: `(EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = $1::text AND (CASE WHEN jsonb_typeof(x.value::jsonb) = 'number' THEN (x.value::jsonb)::float8 END) < $2::float8) AND (${'(CASE WHEN e.status IN'} ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < (@now - 60000) THEN 'LOST' ELSE e.status END) = $3::text COLLATE "C"))`,
      params: ['lr', 0.1, 'COMPLETE'],
    })
    expect(pg("tags.team in ('a', 'b') or min(metrics.valid/loss) in (1, -inf)")).toEqual({
      sql: `(EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = $1::text AND x.value = ANY($2::text[])) OR EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = $3::text AND x.split = $4::text AND x.min_value = ANY($5::float8[])))`,
      params: ['team', ['a', 'b'], 'loss', 'valid', [1, Number.NEGATIVE_INFINITY]],
    })
    expect(pg("name like 'A%' and params.flag != true and not host is null")).toEqual({
      sql: `((e.name ILIKE $1::text ESCAPE '') AND EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = $2::text AND (CASE WHEN jsonb_typeof(x.value::jsonb) = 'boolean' THEN (x.value::jsonb)::boolean END) <> $3::boolean) AND (NOT (NOT (e.host IS NOT NULL))))`,
      params: ['A%', 'flag', true],
    })
    const order = parseOrderBy('min(metrics.valid/loss) desc')
    expect(order && compilePostgresOrderBy(order)).toEqual({
      sql: '(SELECT x.min_value FROM series x WHERE x.experiment_id = e.id AND x.name = $1::text AND x.split = $2::text) DESC NULLS LAST',
      params: ['loss', 'valid'],
    })
  })
})

/** A value as a PostgreSQL literal, for EXECUTE (psql binds no parameters). */
function literal(v: unknown): string {
  if (v === null) return 'NULL'
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `'${v}'::float8`
  if (Array.isArray(v)) {
    const type = typeof v[0] === 'number' ? 'float8' : typeof v[0] === 'boolean' ? 'boolean' : 'text'
    return `ARRAY[${v.map(literal).join(', ')}]::${type}[]`
  }
  throw new Error(`no literal for ${String(v)}`)
}

// Filters whose meaning could drift between the dialects: types, text order, case, NaN, infinity, LOST.
const FILTERS = [
  "params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'",
  "params.optimizer = 'adam' or params.optimizer > 'b'",
  'params.optimizer > 0',
  "params.lr > 'a'",
  'params.flag = true',
  'params.flag != false or params.lr in (0.01, 0.5)',
  'params.nested is not null and params.missing is null',
  "params.optimizer in ('sgd', 'x') or tags.team = 'vision'",
  "params.optimizer not in ('sgd') and name not like 'a%'",
  "name like 'A%' or name like '_'",
  "name < 'b' or name >= 'Z'",
  "tags.team in ('vision', 'nlp') or tags.note like '%''%'",
  'min(metrics.valid/loss) <= 0.2',
  'max(metrics.valid/loss) >= 1 or count(metrics.rmse) = 2',
  'metrics.rmse = -inf or metrics.rmse = inf',
  'metrics.rmse is null',
  'metrics.nan is not null or count(metrics.nan) = 1',
  "status = 'lost' or status in ('failed', 'custom')",
  "status like 'comp%'",
  'duration >= 0 or duration is null',
  "created > '2000-01-01' and started >= 0 and ended is null",
  "not (params.lr = 0.01 or params.lr = 0.5) and project = 'iris'",
  "host is null or notes = ''",
]

describe('the same filters on SQLite and on a real PostgreSQL', () => {
  const t = tempDir()
  const server = startPostgres()
  const now = Date.now()
  let file: string
  beforeAll(() => {
    file = join(t.dir, 'm.db')
    using db = new Database({ path: file })
    const configs = [
      { name: 'a', lr: 0.01, opt: 'adam', valid: [0.9, 0.5, 0.25], status: 'COMPLETE', project: 'iris' },
      { name: 'b', lr: 0.1, opt: 'sgd', valid: [0.8, 0.4, 0.35], status: 'COMPLETE', project: 'iris' },
      { name: 'c', lr: 0.5, opt: 'adam', valid: [0.7, 0.2, 0.6], status: 'FAILED', project: 'iris' },
      { name: 'd', lr: 0.05, opt: 'sgd', valid: [1, 0.9, 0.1], status: 'TRAINING', project: 'mnist' },
      { name: 'Zeta', lr: 'high', opt: 'Adam', valid: [0.3], status: 'custom', project: 'mnist' },
    ]
    for (const c of configs) {
      db.setExpStatus(c.name, c.status, { project: c.project })
      db.setParams(c.name, { lr: c.lr, optimizer: c.opt })
      c.valid.forEach((v, step) => {
        db.addLossValue(c.name, 'valid', step, v)
      })
    }
    db.setParams('a', { flag: true, nested: { depth: [1, 2] } })
    db.setParams('b', { flag: false })
    db.setTags('a', { team: 'vision', note: "it's" })
    db.setTags('b', { team: 'nlp' })
    db.addMetricValue('a', 'rmse', 0, Number.NEGATIVE_INFINITY)
    db.addMetricValue('b', 'rmse', 0, Number.POSITIVE_INFINITY)
    db.addMetricValue('b', 'rmse', 1, 2)
    db.addMetricValue('c', 'nan', 0, Number.NaN)
    db.setExpStatus('x', 'TRAINING', { project: 'iris' })
    // d stopped beating long ago: LOST on both sides (now is bound the same)
    db.query('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?', now - 3_600_000, now - 3_600_000, 'd')
  })
  afterAll(() => {
    server?.stop()
    t.cleanup()
  })

  it.skipIf(!server)('selects the same experiments', () => {
    const pgServer = server as NonNullable<typeof server>
    const lite = new BetterSqlite3(file, { readonly: true })
    const tables: Record<string, string> = {
      projects: 'id bigint, name text',
      experiments:
        'id bigint, project_id bigint, name text, status text, created_at bigint, started_at bigint, ended_at bigint, updated_at bigint, heartbeat_at bigint, host text, notes text, deleted_at bigint',
      params: 'experiment_id bigint, key text, value text',
      tags: 'experiment_id bigint, key text, value text',
      series: 'experiment_id bigint, name text, split text, count bigint, last_value float8, min_value float8, max_value float8',
    }
    let script = ''
    for (const [table, columns] of Object.entries(tables)) {
      const names = columns.split(', ').map((c) => c.split(' ')[0])
      script += `CREATE TABLE ${table} (${columns});\n`
      for (const row of lite
        .prepare(`SELECT ${names.join(', ')} FROM ${table}`)
        .raw()
        .all() as unknown[][]) {
        script += `INSERT INTO ${table} VALUES (${row.map(literal).join(', ')});\n`
      }
    }
    const expected: string[] = []
    FILTERS.forEach((filter, i) => {
      const where = `SELECT e.name FROM experiments e JOIN projects p ON p.id = e.project_id WHERE e.deleted_at IS NULL AND `
      const s = compileFilter(filter)
      expected.push(
        (
          lite
            .prepare(bindNow(`${where}${s.sql} ORDER BY e.name`, now))
            .pluck()
            .all(...s.params) as string[]
        ).join(','),
      )
      const q = pg(filter)
      script += `SELECT '#${i}';\nPREPARE q${i} AS ${bindNow(`${where}${q.sql} ORDER BY e.name COLLATE "C"`, now)};\n`
      script += `EXECUTE q${i}${q.params.length ? `(${q.params.map(literal).join(', ')})` : ''};\n`
    })
    lite.close()
    const got = pgServer
      .psql(script)
      .split(/^#\d+\n/m)
      .slice(1)
      .map((block) => block.trim().split('\n').filter(Boolean).join(','))
    expect(expected.filter((names) => names !== '').length).toBeGreaterThan(15)
    FILTERS.forEach((filter, i) => {
      expect({ filter, names: got[i] }).toEqual({ filter, names: expected[i] })
    })
  })
})
