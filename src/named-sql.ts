import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The named SQL of `sql/`, shared byte for byte with the Python client (as
 * `migrations/` is): one statement or expression a file, named by its path
 * without `.sql` (`points/append-tail`). TypeScript only binds and runs them.
 * `sql/pg/<name>.sql` holds the PostgreSQL text where the dialect differs.
 */
export type SqlDialect = 'sqlite' | 'postgres'

/**
 * The folder holding the named SQL; like migrations/ it sits at the package
 * root, and we walk up because this module runs from `src` and from
 * `dist/src`.
 */
export function sqlDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'sql')
    if (existsSync(join(candidate, 'status', 'derived.sql'))) return candidate
    dir = dirname(dir)
  }
  throw new Error('mldb: the sql/ folder is missing from the installed package; reinstall mldb')
}

const cache = new Map<string, string>()

/** `{folder/name}` inside a statement: the text of that named SQL (docs/schema.md, "Named SQL"). */
const INCLUDE = /\{([a-z0-9-]+(?:\/[a-z0-9-]+)+)\}/g

/**
 * The text of a named statement: the file without its whole-line `--` comments,
 * trimmed, each `{folder/name}` replaced by that named SQL's text (docs/schema.md,
 * "Named SQL"). Read once per process.
 *
 * @example db.prepare(sql('series/id')).get(experimentId, 'loss', 'train')
 */
export function sql(name: string, dialect: SqlDialect = 'sqlite'): string {
  const key = `${dialect}:${name}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const dir = sqlDir()
  const variant = join(dir, 'pg', `${name}.sql`)
  const file = dialect === 'postgres' && existsSync(variant) ? variant : join(dir, `${name}.sql`)
  if (!existsSync(file)) throw new Error(`mldb: no named SQL "${name}" in ${dir}`)
  // `{status/derived}` stands for the text of that named expression, so a statement reads the LOST rule from its one file.
  const text = stripComments(readFileSync(file, 'utf8')).replace(INCLUDE, (_, inner: string) => sql(inner, dialect))
  cache.set(key, text)
  return text
}

/** Drops whole-line `--` comments and surrounding white space; the statement itself is kept as written. */
export function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim()
}
