import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError } from './errors.js'

/**
 * The in-script override, like the Python seed's module-level `CONFIG`:
 * set `CONFIG.db_path` before opening a `Database` to point every later
 * `new Database()` in this process at another file.
 *
 * @example
 * import { CONFIG } from 'mldb'
 * CONFIG.db_path = '/tmp/sweep.db'
 */
export const CONFIG: { db_path?: string | undefined } = {}

/** Where the database path came from, for `mldb config`. */
export type DbPathSource = 'option' | 'CONFIG' | 'env' | 'config-file' | 'default'

/** The database path and why it was chosen. */
export interface ResolvedDbPath {
  path: string
  source: DbPathSource
  /** the config file that was read or would be read */
  configFile: string
}

/** `~/.mldb_config.json`, or `%USERPROFILE%\mldb_config.json` on Windows (as the seed). */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return join(env.USERPROFILE ?? homedir(), 'mldb_config.json')
  return join(env.HOME ?? homedir(), '.mldb_config.json')
}

/**
 * The keys a config file may hold. `db_path` is optional so that a file holding
 * only other settings (series `directions`, later a `server`) is valid; any other
 * key is refused, since a typo such as `path` would otherwise be silently ignored.
 */
export const CONFIG_FILE_KEYS = ['db_path', 'directions', 'server', 'token', 'durability'] as const

/** Reads the config file; undefined when there is none. `db_path` is undefined when the file does not set it. */
export function readConfigFile(file: string): { db_path: string | undefined } | undefined {
  if (!existsSync(file)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${(e as Error).message}); write {"db_path": "/path/to/database.db"} or delete it`, file)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${file} must hold a JSON object such as {"db_path": "/path/to/database.db"}`, file)
  }
  const unknown = Object.keys(parsed).filter((k) => !(CONFIG_FILE_KEYS as readonly string[]).includes(k))
  if (unknown.length > 0) {
    throw new ConfigError(`${file} has an unknown key "${unknown[0]}"; the keys are ${CONFIG_FILE_KEYS.join(', ')} (the database is "db_path")`, file)
  }
  const dbPath = (parsed as { db_path?: unknown }).db_path
  if (dbPath === undefined) return { db_path: undefined }
  if (typeof dbPath !== 'string' || dbPath.trim() === '') {
    throw new ConfigError(`${file} has a "db_path" that is not a path; write {"db_path": "/path/to/database.db"}`, file)
  }
  return { db_path: dbPath }
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~' || p.startsWith('~/')) return join(env.HOME ?? homedir(), p.slice(1))
  return p
}

/**
 * Decides which database file to use: option > `CONFIG.db_path` > `MLDB_DB_PATH` >
 * config file > `~/.mldb/mldb.db`.
 *
 * @example
 * resolveDbPath().path // '/home/me/.mldb/mldb.db'
 */
export function resolveDbPath(option?: string, env: NodeJS.ProcessEnv = process.env): ResolvedDbPath {
  const configFile = configFilePath(env)
  const pick = (p: string, source: DbPathSource): ResolvedDbPath => ({
    path: p === ':memory:' ? p : resolve(expandHome(p, env)),
    source,
    configFile,
  })
  if (option !== undefined && option !== '') return pick(option, 'option')
  if (CONFIG.db_path) return pick(CONFIG.db_path, 'CONFIG')
  if (env.MLDB_DB_PATH) return pick(env.MLDB_DB_PATH, 'env')
  const fromFile = readConfigFile(configFile)
  if (fromFile?.db_path !== undefined) return pick(fromFile.db_path, 'config-file')
  return pick(join(env.HOME ?? homedir(), '.mldb', 'mldb.db'), 'default')
}
