/**
 * Reads MLflow's SQL store from PostgreSQL (`mldb import postgresql://…`): the
 * tables the SQLite reader reads are copied, column for column, into a
 * temporary SQLite file shaped like `mlflow.db`, which `readMlflowDb` then
 * reads. So both databases go through one reader (every Alembic revision,
 * ±DBL_MAX as ±Infinity, is_nan), and the PostgreSQL side only reads.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { ValidationError } from '../errors.js'
import { readMlflowDb } from './mlflow-db-import.js'
import type { MlflowSource } from './mlflow-import-write.js'

/** The tables of MLflow's SQL store that the import reads (mlflow-db-import.ts). */
const TABLES = [
  'experiments',
  'experiment_tags',
  'runs',
  'params',
  'tags',
  'metrics',
  'inputs',
  'datasets',
  'input_tags',
  'logged_models',
  'logged_model_params',
  'logged_model_tags',
  'logged_model_metrics',
  'registered_models',
  'registered_model_tags',
  'model_versions',
  'model_version_tags',
  'registered_model_aliases',
] as const

/** Rows of a table in a stable order: metrics as MLflow keys them, the rest by all their columns. */
const ORDER: Partial<Record<(typeof TABLES)[number], string>> = { metrics: 'run_uuid, key, step, timestamp' }

/** Whether a CLI argument names a PostgreSQL database rather than a file. */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?(\+\w+)?:\/\//i.test(s)
}

/** A URL without its password, for messages. */
function shown(url: string): string {
  return url.replace(/^(\w[\w+]*:\/\/[^:/@]*):[^@]*@/, '$1:***@')
}

/** SQLAlchemy's `postgresql+psycopg2://` is MLflow's spelling; node-postgres takes the plain URL. */
function plainUrl(url: string): string {
  return url.replace(/^postgres(ql)?\+\w+:\/\//i, 'postgresql://')
}

/** int8 as a number (MLflow's times, steps and ids fit a double), numeric as a number, the rest as pg reads it. */
function parserOf(oid: number, format?: string): (v: string) => unknown {
  if (oid === 20 || oid === 1700) return (v: string) => Number(v)
  return pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown
}

/** A value as SQLite binds it. */
function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (v instanceof Date) return v.getTime()
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v)
  return v
}

/**
 * Reads a whole MLflow tracking database on PostgreSQL, as readMlflowDb reads
 * an `mlflow.db`; a database without MLflow's tables (or an mldb team
 * server's) is a ValidationError naming it.
 *
 * @example writeMlflowSource(db, await readMlflowPostgres('postgresql://u@host/mlflow'))
 */
export async function readMlflowPostgres(url: string): Promise<MlflowSource> {
  const client = new pg.Client({ connectionString: plainUrl(url), types: { getTypeParser: parserOf } as pg.CustomTypesConfig })
  try {
    await client.connect()
  } catch (e) {
    throw new ValidationError(`${shown(url)} cannot be reached (${(e as Error).message})`, 'url')
  }
  const dir = mkdtempSync(join(tmpdir(), 'mldb-mlflow-pg-'))
  try {
    // the schema on the search path, as MLflow's SQLAlchemy store uses it
    const schema = ((await client.query('SELECT current_schema() AS s')).rows[0] as { s: string }).s
    const cols = new Map<string, string[]>()
    const res = await client.query(
      'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position',
      [schema],
    )
    for (const r of res.rows as { table_name: string; column_name: string }[]) cols.set(r.table_name, [...(cols.get(r.table_name) ?? []), r.column_name])
    if (!cols.has('runs') || !cols.has('experiments') || !cols.has('metrics') || cols.has('projects'))
      throw new ValidationError(`${shown(url)} is not an MLflow tracking database (no runs, experiments and metrics tables in schema ${schema})`, 'url')
    const file = join(dir, 'mlflow.db')
    const lite = new BetterSqlite3(file)
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      for (const table of TABLES) {
        const names = cols.get(table)
        if (!names) continue
        const q = names.map((c) => `"${c.replaceAll('"', '""')}"`)
        lite.exec(`CREATE TABLE "${table}" (${q.join(', ')})`)
        const rows = (await client.query({ text: `SELECT ${q.join(', ')} FROM "${table}" ORDER BY ${ORDER[table] ?? q.join(', ')}`, rowMode: 'array' }))
          .rows as unknown[][]
        const insert = lite.prepare(`INSERT INTO "${table}" VALUES (${q.map(() => '?').join(', ')})`)
        lite.transaction(() => {
          for (const row of rows) insert.run(...row.map(bindable))
        })()
      }
      await client.query('COMMIT')
    } finally {
      lite.close()
    }
    return readMlflowDb(file)
  } finally {
    await client.end().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
}
