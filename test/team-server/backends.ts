import { join } from 'node:path'
import pg from 'pg'
import { afterAll } from 'vitest'
import { PostgresStore } from '../../src/store/postgres/pg-store.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import { canStartPostgres, type Postgres, startPostgres } from '../helpers/postgres.js'
import { tempDir } from '../helpers/tmp.js'

/** One fresh database of a backend: its store, its `--db` argument, and raw SQL for what no API may do (ageing a heartbeat). */
export interface Fresh {
  store: Store
  /** the path or URL `mldb server --db` takes */
  db: string
  /** runs SQL on the backend ($1.. placeholders on both) */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>
}

/** A backend the same suite runs against. */
export interface Backend {
  name: 'sqlite' | 'postgres'
  /** a new, empty database (store closed by the caller or at the end of the file) */
  fresh(): Promise<Fresh>
  /** only postgres: the cluster, for outage tests */
  cluster(): Postgres | undefined
}

let cluster: Postgres | undefined
let dbCount = 0
const toClose: (() => Promise<void>)[] = []
const t = tempDir('mldb-team-')
afterAll(async () => {
  for (const close of toClose) await close().catch(() => {})
  cluster?.stop()
  t.cleanup()
})

/** The cluster of this test file, started on first use (PostgreSQL is required: .ci/run installs it). */
export function sharedCluster(): Postgres {
  if (!cluster) {
    if (!canStartPostgres()) throw new Error('PostgreSQL is needed for these tests: apt-get install -y postgresql (as root; .ci/run does it)')
    cluster = startPostgres()
    if (!cluster) throw new Error('PostgreSQL could not start')
  }
  return cluster
}

/** A new empty PostgreSQL database URL on this file's cluster. */
export function freshPgUrl(): string {
  return sharedCluster().createDatabase(`t${process.pid}_${++dbCount}`)
}

/** A new SQLite file path in this file's temp folder. */
export function freshSqlitePath(): string {
  return join(t.dir, `t${++dbCount}.db`)
}

export const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    cluster: () => undefined,
    async fresh() {
      const path = freshSqlitePath()
      const store = new SqliteStore(path)
      toClose.push(() => store.close())
      return {
        store,
        db: path,
        async sql(text, params = []) {
          const stmt = store.db.sqlite.prepare(text.replace(/\$(\d+)/g, '@p$1'))
          const named = Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]))
          if (stmt.reader) return stmt.all(named) as Record<string, unknown>[]
          stmt.run(named)
          return []
        },
      }
    },
  },
  {
    name: 'postgres',
    cluster: () => sharedCluster(),
    async fresh() {
      const url = freshPgUrl()
      const store = await PostgresStore.open(url)
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      toClose.push(async () => {
        await store.close().catch(() => {})
        await client.end()
      })
      return {
        store,
        db: url,
        async sql(text, params = []) {
          return (await client.query(text, params)).rows
        },
      }
    },
  },
]
