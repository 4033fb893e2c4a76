import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One numbered `.sql` file from the package's `migrations/` folder. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * The folder that holds the `.sql` migrations. It sits at the package root so the
 * Python client can ship the very same files; we walk up because this module runs
 * both from `src/store` (tsx, vitest) and from `dist/src/store` (installed).
 */
export function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'migrations')
    if (existsSync(join(candidate, '001-initial.sql'))) return candidate
    dir = dirname(dir)
  }
  throw new Error('mldb: the migrations/ folder is missing from the installed package; reinstall mldb')
}

let cache: Migration[] | undefined

/** All migrations in version order, read once per process. */
export function loadMigrations(): Migration[] {
  if (cache) return cache
  const dir = migrationsDir()
  cache = readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
  cache.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`mldb: migration ${m.name} is out of sequence`)
  })
  return cache
}

/** The schema version this build of mldb writes. */
export function latestVersion(): number {
  return loadMigrations().length
}
