import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { resolveDbPath } from '../config.js'
import { MldbError, ValidationError } from '../errors.js'
import { isPostgresUrl, openStore } from '../store/open-store.js'
import type { Store } from '../store/store.js'
import { isLoopbackHost } from './auth.js'
import { reachableHosts } from './reachable-hosts.js'
import { createServerApp } from './server-app.js'

/** Default largest artifact: 10 GiB (checkpoints of large models). */
export const DEFAULT_MAX_ARTIFACT_BYTES = 10 * 1024 ** 3

/** Options for `startServer`. */
export interface ServerOptions {
  /** a SQLite file, or postgresql://user:pass@host:5432/name; default: the usual file lookup */
  db?: string | undefined
  /** default 127.0.0.1 */
  host?: string | undefined
  /** default 5757; 0 picks a free port */
  port?: number | undefined
  /** the artifact store; default `artifacts/` beside the file, or ~/.mldb/artifacts for PostgreSQL */
  artifacts?: string | undefined
  maxArtifactBytes?: number | undefined
  maxBodyBytes?: number | undefined
  /** a full-access token for this start (default MLDB_TOKEN, else a random one); tokens of `mldb token create` work too */
  token?: string | undefined
  /** serve without a token; loopback only */
  noToken?: boolean | undefined
  webRoot?: string | undefined
}

/** A running team server. */
export interface TeamServer {
  url: string
  urls: string[]
  token: string | undefined
  port: number
  store: Store
  artifactsDir: string
  close(): Promise<void>
}

const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)

/**
 * Opens the store (migrating it, or refusing a newer schema; PostgreSQL
 * unreachable is a StoreUnavailableError) and serves `mldb server` on host:port.
 *
 * @example
 * const s = await startServer({ db: 'postgresql://mldb@db/mldb', host: '0.0.0.0' })
 * console.log(s.url)
 */
export async function startServer(options: ServerOptions = {}): Promise<TeamServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 5757
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`port must be an integer from 0 to 65535, got ${port}`, 'port')
  if (options.noToken && !isLoopbackHost(host))
    throw new ValidationError(`--no-token serves ${host} to anyone who can reach it; it is allowed on 127.0.0.1/localhost only`, 'host')
  const max = options.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES
  if (!Number.isSafeInteger(max) || max < 1) throw new ValidationError(`--max-artifact-bytes must be a positive integer, got ${max}`, 'maxArtifactBytes')
  const token = options.noToken ? undefined : options.token || process.env.MLDB_TOKEN || randomBytes(24).toString('hex')
  const db = isPostgresUrl(options.db) ? options.db : resolveDbPath(options.db).path
  const artifactsDir = resolve(options.artifacts ?? (isPostgresUrl(db) ? join(homedir(), '.mldb', 'artifacts') : join(dirname(db), 'artifacts')))
  mkdirSync(artifactsDir, { recursive: true })
  const store = await openStore(db)
  const app = createServerApp({
    store,
    artifactsDir,
    maxArtifactBytes: max,
    maxBodyBytes: options.maxBodyBytes,
    startToken: token,
    open: options.noToken,
    webRoot: options.webRoot,
  })
  let server: ReturnType<typeof serve>
  let info: AddressInfo
  try {
    ;({ server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>((resolveStart, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, (i) => resolveStart({ server: s, info: i }))
      s.once('error', reject)
    }))
  } catch (e) {
    await store.close()
    const code = (e as { code?: string }).code
    if (code === 'EADDRINUSE') throw new MldbError(`port ${port} on ${host} is in use (another mldb server?); pick another with --port`)
    if (code === 'EACCES') throw new MldbError(`not allowed to bind ${host}:${port}; use a port above 1023`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ValidationError(`cannot bind ${host}: no such address on this machine`, 'host')
    throw new MldbError(`cannot start the server on ${host}:${port}: ${(e as Error).message}`)
  }
  const urls = reachableHosts(host).map((h) => `http://${urlHost(h)}:${info.port}/`)
  let closed: Promise<void> | undefined
  return {
    url: urls[0] as string,
    urls,
    token,
    port: info.port,
    store,
    artifactsDir,
    close() {
      closed ??= new Promise<void>((done) => {
        server.close(() => {
          store.close().finally(done)
        })
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      return closed
    },
  }
}
