import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Database } from '../../api/database.js'
import { toJson } from '../../json.js'
import type { PostgresStore } from '../../store/postgres/pg-store.js'
import { artifactEndpoints } from './artifacts.js'
import { MlflowBackend } from './backend.js'
import { mlflowError } from './errors.js'
import { experimentEndpoints } from './experiments.js'
import { loggedModelEndpoints } from './logged-models.js'
import { modelRegistryEndpoints } from './model-registry.js'
import { multipartEndpoints } from './multipart.js'
import { PgMlflowBackend } from './pg-backend.js'
import { PgMlflowRegistry } from './pg-registry-backend.js'
import { MlflowRegistry } from './registry-backend.js'
import { runEndpoints } from './runs.js'
import type { MlflowTracking } from './tracking.js'

/** Options of `mlflowRoutes`. */
export interface MlflowRoutesOptions {
  /** a SQLite file's Database (the dashboard, `mldb server` on a file) */
  db?: Database | undefined
  /** or the team server's store on PostgreSQL (then `artifacts` is required) */
  pg?: PostgresStore | undefined
  /** the folder of uploaded artifacts; default `<database>-artifacts` beside the file */
  artifacts?: string | undefined
  /** the largest artifact upload in bytes (`--max-artifact-bytes`); default unlimited */
  maxArtifactBytes?: number | undefined
}

/** The largest JSON body of a tracking call: a log-batch is at most 1,000 metrics + 100 params + 100 tags. */
export const MLFLOW_MAX_BODY_BYTES = 32 * 1024 * 1024

/**
 * MLflow's REST API over an mldb database, mounted by the server's app:
 * tracking under `/api/2.0/mlflow/` and `/ajax-api/2.0/mlflow/`, the artifact
 * proxy under `/api/2.0/mlflow-artifacts/`. `MLFLOW_TRACKING_URI=http://host:port`
 * then points MLflow's own clients at mldb, on a SQLite file (`db`) or on
 * the team server's PostgreSQL (`pg`) alike.
 *
 * @example app.route('/', mlflowRoutes({ db }))
 */
export function mlflowRoutes(options: MlflowRoutesOptions): Hono {
  const { db, pg } = options
  if (!db === !pg) throw new Error('BUG: mlflowRoutes takes a SQLite Database or a PostgresStore, one of them')
  const backend: MlflowTracking = db ? new MlflowBackend(db) : new PgMlflowBackend(pg as PostgresStore)
  const root = options.artifacts ?? `${db?.path}-artifacts`
  if (!db && !options.artifacts) throw new Error('BUG: mlflowRoutes on PostgreSQL needs the artifacts folder')
  const tracking = new Hono()
  // Tracking bodies are JSON read whole; artifact uploads (the proxy) stream with their own limit.
  tracking.use(
    '*',
    bodyLimit({
      maxSize: MLFLOW_MAX_BODY_BYTES,
      onError: (c) =>
        c.body(toJson({ error_code: 'INVALID_PARAMETER_VALUE', message: `the request body is over ${MLFLOW_MAX_BODY_BYTES} bytes` }), 413, {
          'content-type': 'application/json',
        }),
    }),
  )
  experimentEndpoints(tracking, backend)
  runEndpoints(tracking, backend)
  loggedModelEndpoints(tracking, backend)
  modelRegistryEndpoints(tracking, db ? new MlflowRegistry(db) : new PgMlflowRegistry(pg as PostgresStore))
  const proxy = new Hono()
  artifactEndpoints(proxy, tracking, backend, root, options.maxArtifactBytes ?? Number.POSITIVE_INFINITY)
  multipartEndpoints(proxy)
  tracking.all('*', (c) => mlflowError(c, 'ENDPOINT_NOT_FOUND', `${c.req.method} ${c.req.path} is not an MLflow endpoint mldb serves (see docs/mlflow.md)`))
  proxy.all('*', (c) => mlflowError(c, 'ENDPOINT_NOT_FOUND', `${c.req.method} ${c.req.path} is not an MLflow endpoint mldb serves (see docs/mlflow.md)`))
  const app = new Hono()
  app.route('/api/2.0/mlflow', tracking)
  app.route('/ajax-api/2.0/mlflow', tracking)
  app.route('/api/2.0/mlflow-artifacts', proxy)
  app.route('/ajax-api/2.0/mlflow-artifacts', proxy)
  return app
}
