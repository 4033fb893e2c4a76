import { join } from 'node:path'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { configuredDirections, seriesDirection } from '../api/direction.js'
import { PostgresStore } from '../store/postgres/pg-store.js'
import { SqliteStore } from '../store/sqlite/sqlite-store.js'
import { type Store, StoreUnavailableError } from '../store/store.js'
import { ChangeFeed } from './change-feed.js'
import { crossSiteWrites } from './cross-site.js'
import { errorResponse, jsonResponse, toErrorResponse } from './errors.js'
import { frameHeaders } from './frame-headers.js'
import { mlflowRoutes } from './mlflow/index.js'
import { openApiDocument } from './openapi.js'
import { artifactRoutes } from './routes/artifacts.js'
import { cliReadRoutes } from './routes/cli-read.js'
import { directionRoutes } from './routes/directions.js'
import { storeDownsampleRoutes } from './routes/downsample-store.js'
import { eventRoutes } from './routes/events.js'
import { experimentRoutes } from './routes/experiments.js'
import { fileRoutes } from './routes/files.js'
import { registryWriteRoutes } from './routes/registry-write.js'
import { seriesBatchRoutes } from './routes/series-batch.js'
import { storeReadRoutes } from './routes/store-read.js'
import { sweepRoutes } from './routes/sweeps.js'
import { sweepWriteRoutes } from './routes/sweeps-write.js'
import { writeRoutes } from './routes/write.js'
import type { ServerState } from './state.js'
import { defaultWebRoot, staticHandler } from './static.js'
import { DEFAULT_STREAMS_PER_CLIENT, StreamLimiter } from './stream-limiter.js'
import { tokenAuth } from './tokens.js'

/** Default limit of a JSON body: a batch of 100,000 points is about 6 MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024

/** Options for `createServerApp`. */
export interface ServerAppOptions {
  store: Store
  /** the folder of the artifact store */
  artifactsDir: string
  /** the largest artifact accepted, in bytes */
  maxArtifactBytes: number
  /** the largest JSON body, in bytes; default 32 MiB */
  maxBodyBytes?: number | undefined
  /** a token with full access made for this start (printed); tokens of `mldb token create` work too */
  startToken?: string | undefined
  /** no token needed (loopback only) */
  open?: boolean | undefined
  webRoot?: string | undefined
}

function onError(err: unknown, c: Context): Response {
  if (err instanceof StoreUnavailableError) {
    c.header('retry-after', '1')
    return errorResponse(c, 503, 'unavailable', `${err.message}`)
  }
  return toErrorResponse(err, c)
}

/**
 * `mldb server`'s HTTP app: the write API, the artifact store and the read API
 * on any Store, plus (on a SQLite file) the rest of `mldb ui`'s routes (live
 * event streams, files on this disk, models, directions, sweeps, MLflow's REST
 * API), and the dashboard itself.
 *
 * @example
 * const app = createServerApp({ store: await openStore(url), artifactsDir: '/srv/a', maxArtifactBytes: 2 ** 30, open: true })
 * await app.request('/api/experiments', { method: 'POST', body: JSON.stringify({ client: 'c', seq: 1, name: 'e' }), headers: { 'content-type': 'application/json' } })
 */
export function createServerApp(options: ServerAppOptions): Hono {
  const { store } = options
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  let state: ServerState | undefined
  if (store instanceof SqliteStore) {
    state = {
      db: store.db,
      localWrites: 0,
      feed: new ChangeFeed(store.db, () => (state as ServerState).localWrites),
      streams: new StreamLimiter(DEFAULT_STREAMS_PER_CLIENT),
    }
  }
  const app = new Hono()
  app.onError(onError)
  app.use('*', frameHeaders())
  app.use('*', tokenAuth({ store, startToken: options.startToken, open: options.open }))
  app.use('*', crossSiteWrites())
  if (store instanceof PostgresStore) {
    // MLflow's REST API (docs/mlflow.md) on PostgreSQL, before the body limit: its artifacts may be large.
    app.route('/', mlflowRoutes({ pg: store, artifacts: join(options.artifactsDir, 'mlflow'), maxArtifactBytes: options.maxArtifactBytes }))
  }
  if (state) {
    // MLflow's REST API (docs/mlflow.md) on a file, before the body limit: its artifacts may be large.
    app.route('/', mlflowRoutes({ db: state.db, artifacts: join(options.artifactsDir, 'mlflow'), maxArtifactBytes: options.maxArtifactBytes }))
    // The listing walks every experiment's rows: a 64 MiB page cache keeps 10,000+ in memory (as mldb ui).
    state.db.sqlite.pragma('cache_size = -65536')
  }
  const limit = bodyLimit({
    maxSize: maxBody,
    onError: (c) => errorResponse(c, 413, 'too_large', `the request body is over ${maxBody} bytes; send fewer points per batch`),
  })
  // Artifacts stream to disk with their own limit; every other body is JSON.
  app.use('/api/*', (c, next) => (c.req.path.startsWith('/api/artifacts/') ? next() : limit(c, next)))

  app.get('/api/openapi.json', (c) => jsonResponse(c, openApiDocument()))
  app.route(
    '/api',
    writeRoutes(store, () => state && state.localWrites++),
  )
  app.route('/api', artifactRoutes(store, options.artifactsDir, options.maxArtifactBytes))
  // The registry's and sweeps' writes on any store, and the registry's reads: a version's file is on the
  // machine that registered it, so the server answers from its artifact store (on a file too); sweeps' reads on a file below.
  app.route('/api', registryWriteRoutes(store, { readRoutes: true, artifactsDir: options.artifactsDir }))
  app.route('/api', sweepWriteRoutes(store, { readRoutes: !state }))
  // A recorded path names a file on the client's machine: only artifacts are linked and served.
  app.route('/api', storeReadRoutes(store, { localFiles: false }))
  app.route('/api', cliReadRoutes(store)) // `mldb --server URL best|export`
  if (state) {
    app.route('/api', experimentRoutes(state)) // PATCH of notes and tags from the dashboard
    app.route('/api', fileRoutes(state, { artifactsDir: options.artifactsDir }))
    app.route('/api', eventRoutes(state))
    app.route('/api', directionRoutes(state))
    app.route('/api', seriesBatchRoutes(state))
    app.route('/api', sweepRoutes(state))
  } else {
    // The directions rule needs no database (the config file, then the shared word list): the same route on PostgreSQL.
    const directionsOnly = { db: { seriesDirection: (key: string) => seriesDirection(key, configuredDirections()) } }
    app.route('/api', directionRoutes(directionsOnly as unknown as ServerState))
    // A chart panel's one request, through the store's downsample().
    app.route('/api', storeDownsampleRoutes(store))
  }
  app.all('/api/*', (c) => errorResponse(c, 404, 'not_found', `no API route ${c.req.method} ${c.req.path}`))
  app.all('*', staticHandler(options.webRoot ?? defaultWebRoot()))
  app.notFound((c) => errorResponse(c, 404, 'not_found', `nothing at ${c.req.path}`))
  return app
}
