import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

/**
 * The mldb package's version (package.json above this file, from src/ or
 * dist/src/), shown in the dashboard's header; the schema version is not what
 * a user compares with `mldb --version`.
 *
 * @example packageVersion() // '0.4.0'
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  cached = 'unknown'
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.version) {
        cached = pkg.version
        break
      }
    }
    dir = dirname(dir)
  }
  return cached
}
