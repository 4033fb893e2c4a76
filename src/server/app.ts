import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Database } from '../api/database.js'
import { busySeconds } from '../store/connection.js'
import { sqliteError } from '../store/sqlite-errors.js'
import { authMiddleware } from './auth.js'
import { ChangeFeed } from './change-feed.js'
import { crossSiteWrites } from './cross-site.js'
import { errorResponse, jsonResponse, toErrorResponse } from './errors.js'
import { frameHeaders } from './frame-headers.js'
import { mlflowRoutes } from './mlflow/index.js'
import { packageVersion } from './package-version.js'
import { directionRoutes } from './routes/directions.js'
import { eventRoutes } from './routes/events.js'
import { experimentRoutes } from './routes/experiments.js'
import { fileRoutes } from './routes/files.js'
import { modelRoutes } from './routes/models.js'
import { seriesRoutes } from './routes/series.js'
import { seriesBatchRoutes } from './routes/series-batch.js'
import { sweepRoutes } from './routes/sweeps.js'
import type { ServerState } from './state.js'
import { defaultWebRoot, staticHandler } from './static.js'
import { DEFAULT_STREAMS_PER_CLIENT, StreamLimiter } from './stream-limiter.js'
import { noQuery } from './validators.js'

/** Notes may hold 1,000,000 characters of up to 4 UTF-8 bytes, plus tags. */
const MAX_BODY_BYTES = 5 * 1024 * 1024

/** The page cache of the server's connection, in KiB. */
const CACHE_KIB = 64 * 1024

/** Options for `createApp`. */
export interface AppOptions {
  db: Database
  /** when set, every request must carry it (see auth.ts) */
  token?: string | undefined
  /** the built dashboard; default `web/dist` at the package root */
  webRoot?: string | undefined
  /** open event streams one client address may hold; default 16, past it 429 */
  maxStreamsPerClient?: number | undefined
  /** the folder MLflow's artifact proxy writes to; default `<database>-artifacts` */
  artifacts?: string | undefined
}

/**
 * The dashboard's HTTP app: the JSON API under /api and the built web app
 * everywhere else. Tests call `app.request()` on it without a socket.
 *
 * @example
 * const app = createApp({ db: new Database({ path: 'runs.db' }) })
 * const res = await app.request('/api/experiments?where=params.lr<0.1')
 */
export function createApp(options: AppOptions): Hono {
  const state: ServerState = {
    db: options.db,
    localWrites: 0,
    feed: new ChangeFeed(options.db, () => state.localWrites),
    streams: new StreamLimiter(options.maxStreamsPerClient ?? DEFAULT_STREAMS_PER_CLIENT),
  }
  // A long-lived reader that walks every experiment's series, params and tags:
  // SQLite's default 2 MiB page cache re-reads them from the OS on every listing
  // of a large file. 64 MiB holds their pages for 10,000+ experiments.
  options.db.sqlite.pragma(`cache_size = -${CACHE_KIB}`)
  const app = new Hono()
  // Store functions called directly (listings, downsampling) throw SQLite's own errors: name them as the API does.
  app.onError((err, c) => toErrorResponse(sqliteError(err, options.db.path, { busySeconds: busySeconds(options.db.busyTimeoutMs) }), c))
  app.use('*', frameHeaders())
  app.use('*', authMiddleware(options.token || undefined))
  app.use('*', crossSiteWrites())
  // MLflow's REST API (docs/mlflow.md), before /api's body limit: artifacts may be large.
  app.route('/', mlflowRoutes({ db: options.db, artifacts: options.artifacts }))
  // The only body is a PATCH of notes (≤ 1,000,000 characters) and tags.
  app.use(
    '/api/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c, 413, 'too_large', `the request body is over ${MAX_BODY_BYTES} bytes`) }),
  )

  app.get('/api/health', noQuery, (c) => {
    const version = options.db.sqlite.pragma('user_version', { simple: true }) as number
    // version: the schema's; package: the mldb release the header shows
    return jsonResponse(c, { ok: true, db: options.db.path, version, package: packageVersion() })
  })
  app.route('/api', experimentRoutes(state))
  app.route('/api', seriesRoutes(state))
  app.route('/api', seriesBatchRoutes(state))
  app.route('/api', fileRoutes(state))
  app.route('/api', modelRoutes(state))
  app.route('/api', eventRoutes(state))
  app.route('/api', directionRoutes(state))
  app.route('/api', sweepRoutes(state))
  app.all('/api/*', (c) => errorResponse(c, 404, 'not_found', `no API route ${c.req.method} ${c.req.path}`))
  app.all('/api', (c) => errorResponse(c, 404, 'not_found', `no API route ${c.req.method} ${c.req.path}`))

  app.all('*', staticHandler(options.webRoot ?? defaultWebRoot()))
  app.notFound((c) => errorResponse(c, 404, 'not_found', `nothing at ${c.req.path}`))
  return app
}
