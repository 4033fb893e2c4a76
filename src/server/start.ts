import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Database } from '../api/database.js'
import { MldbError, ValidationError } from '../errors.js'
import { createApp } from './app.js'
import { isLoopbackHost } from './auth.js'
import { reachableHosts } from './reachable-hosts.js'

/** Options for `startUi`. */
export interface UiOptions {
  /** the database file; otherwise the usual lookup (MLDB_DB_PATH, ~/.mldb_config.json, ...) */
  dbPath?: string | undefined
  /** default 5757; 0 picks a free port */
  port?: number | undefined
  /** default 127.0.0.1 */
  host?: string | undefined
  /** default process.env.MLDB_TOKEN, else a random one made for this start */
  token?: string | undefined
  /** serve without a token (a single-user machine); loopback hosts only */
  noToken?: boolean | undefined
  /** open the URL in a browser (xdg-open / open); failures are ignored */
  open?: boolean | undefined
  /** the built dashboard; default web/dist at the package root */
  webRoot?: string | undefined
}

/** A running dashboard server. */
export interface UiServer {
  /** the URL to open, with ?token= when a token is set */
  url: string
  /** every URL that reaches the server (one per address of this machine when bound to 0.0.0.0 or ::), `url` first */
  urls: string[]
  /** the token every request needs, or undefined with noToken */
  token: string | undefined
  port: number
  /** the database file served */
  dbPath: string
  /** stops the server, ends live streams and closes the database */
  close(): Promise<void>
}

const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)

/** Like Jupyter's: 24 random bytes, hex (URL-safe, copy-pastable). */
const newToken = () => randomBytes(24).toString('hex')

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => {}) // no browser here: the URL is printed anyway
    child.unref()
  } catch {
    // same: opening a browser is a convenience
  }
}

/**
 * Opens the database and serves the dashboard on host:port.
 *
 * @example
 * const ui = await startUi({ dbPath: 'runs.db', port: 0 })
 * console.log(`dashboard at ${ui.url}`)
 * await ui.close()
 */
export async function startUi(options: UiOptions = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 5757
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`port must be an integer from 0 to 65535, got ${port}`, 'port')
  if (host.trim() === '') throw new ValidationError('host is empty; use 127.0.0.1 (the default) or an address to bind', 'host')
  if (options.noToken && options.token) throw new ValidationError('give either a token or --no-token, not both', 'token')
  if (options.noToken && !isLoopbackHost(host))
    throw new ValidationError(`--no-token serves ${host} to anyone who can reach it; it is allowed on 127.0.0.1/localhost only`, 'host')
  const token = options.noToken ? undefined : options.token || process.env.MLDB_TOKEN || newToken()

  const db = new Database({ path: options.dbPath, server: '' })
  const app = createApp({ db, token, webRoot: options.webRoot })
  let server: ReturnType<typeof serve>
  let info: AddressInfo
  try {
    ;({ server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, (i) => resolve({ server: s, info: i }))
      s.once('error', reject)
    }))
  } catch (e) {
    db.close()
    const code = (e as { code?: string }).code
    if (code === 'EADDRINUSE') throw new MldbError(`port ${port} on ${host} is in use (another mldb ui?); pick another with --port`)
    if (code === 'EACCES') throw new MldbError(`not allowed to bind ${host}:${port}; use a port above 1023`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ValidationError(`cannot bind ${host}: no such address on this machine`, 'host')
    throw new MldbError(`cannot start the server on ${host}:${port}: ${(e as Error).message}`)
  }
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  const urls = reachableHosts(host).map((h) => `http://${urlHost(h)}:${info.port}/${query}`)
  const url = urls[0] as string
  if (options.open) openBrowser(url)

  let closed: Promise<void> | undefined
  return {
    url,
    urls,
    token,
    port: info.port,
    dbPath: db.path,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close()
          resolve()
        })
        // Live event streams never end on their own.
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      return closed
    },
  }
}
