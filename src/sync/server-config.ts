import { existsSync, readFileSync } from 'node:fs'
import { configFilePath, readConfigFile } from '../config.js'
import { ConfigError } from '../errors.js'

/** A team server to sync to. */
export interface SyncTarget {
  /** the base URL, ending in / */
  server: string
  token: string | undefined
}

/**
 * Which server a client syncs to: the option, else `MLDB_SERVER` (with
 * `MLDB_TOKEN`), else `"server"` / `"token"` in ~/.mldb_config.json. An empty
 * option, or `MLDB_SYNC=0`, means none (the server's own process sets it, so a
 * server never syncs its file to itself).
 *
 * @example resolveSyncTarget({ server: 'http://gpu-box:5757' }) // { server: 'http://gpu-box:5757/', token: process.env.MLDB_TOKEN }
 */
export function resolveSyncTarget(
  o: { server?: string | undefined; token?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
): SyncTarget | undefined {
  if (env.MLDB_SYNC === '0' || o.server === '') return undefined
  let server = o.server ?? env.MLDB_SERVER
  let token = o.token ?? env.MLDB_TOKEN
  if (!server || !token) {
    const file = configFilePath(env)
    if (readConfigFile(file) !== undefined && existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { server?: unknown; token?: unknown }
      if (!server && parsed.server !== undefined) {
        if (typeof parsed.server !== 'string') throw new ConfigError(`${file} has a "server" that is not a URL; write {"server": "http://host:5757"}`, file)
        server = parsed.server
      }
      if (!token && typeof parsed.token === 'string') token = parsed.token
    }
  }
  if (!server) return undefined
  let url: URL
  try {
    url = new URL(server)
  } catch {
    throw new ConfigError(
      `the server "${server}" is not a URL; give one such as http://gpu-box:5757 (MLDB_SERVER, --server or "server" in the config file)`,
      'server',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`the server "${server}" must be an http:// or https:// URL`, 'server')
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return { server: url.toString(), token: token || undefined }
}
