import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PoolClient } from 'pg'
import { SchemaVersionError } from '../../errors.js'
import type { Migration } from '../migrations.js'

/** Any constant: every mldb process that migrates one PostgreSQL database takes this advisory lock first. */
const MIGRATION_LOCK = 57_570_001

/** The package's `migrations-pg/` folder (walked up to, as migrations/ is: src/ under tsx, dist/src/ installed). */
export function pgMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 7; i++) {
    const candidate = join(dir, 'migrations-pg')
    if (existsSync(join(candidate, '001-initial.sql'))) return candidate
    dir = dirname(dir)
  }
  throw new Error('mldb: the migrations-pg/ folder is missing from the installed package; reinstall mldb')
}

/**
 * The numbered PostgreSQL migrations, in order.
 *
 * @example loadPgMigrations().length // the PostgreSQL schema version this build writes
 */
export function loadPgMigrations(): Migration[] {
  const dir = pgMigrationsDir()
  const list = readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`mldb: migration migrations-pg/${m.name} is out of sequence`)
  })
  return list
}

/**
 * Brings the database to this build's schema in one transaction, or refuses a
 * database written by a newer mldb (SchemaVersionError) without touching it.
 * Returns the version.
 */
export async function migratePg(client: PoolClient, where: string): Promise<number> {
  const migrations = loadPgMigrations()
  const latest = migrations.length
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    const has = await client.query("SELECT to_regclass('mldb_schema') IS NOT NULL AS has")
    let version = 0
    if (has.rows[0]?.has) version = Number((await client.query('SELECT version FROM mldb_schema')).rows[0]?.version ?? 0)
    if (version > latest) {
      throw new SchemaVersionError(
        `${where} has mldb PostgreSQL schema version ${version}, newer than this mldb supports (${latest}); upgrade mldb`,
        version,
        latest,
      )
    }
    for (const m of migrations.slice(version)) {
      await client.query(m.sql)
      await client.query('UPDATE mldb_schema SET version = $1', [m.version])
    }
    await client.query('COMMIT')
    return latest
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  }
}
