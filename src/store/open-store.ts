import { PostgresStore } from './postgres/pg-store.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

/**
 * Whether `--db` names a PostgreSQL database rather than a file.
 *
 * @example isPostgresUrl('postgresql://mldb@db:5432/mldb') // true
 */
export function isPostgresUrl(db: string | undefined): db is string {
  return db !== undefined && /^postgres(ql)?:\/\//i.test(db)
}

/**
 * The store behind `--db`: a PostgreSQL URL, or a SQLite file (undefined: the
 * usual lookup, MLDB_DB_PATH, ~/.mldb_config.json, ...).
 *
 * @example const store = await openStore(process.env.MLDB_SERVER_DB)
 */
export async function openStore(db: string | undefined): Promise<Store> {
  if (isPostgresUrl(db)) return PostgresStore.open(db)
  return new SqliteStore(db)
}
