import type { Context, Hono } from 'hono'
import { toJson } from '../../json.js'
import { toMlflowError } from './errors.js'
import { MLFLOW_READ_PATHS } from './read-paths.js'
import { requestFields } from './wire.js'

/** What a route does with the request's fields; its result is the JSON body. */
export type MlflowHandler = (fields: Record<string, unknown>, c: Context) => unknown | Promise<unknown>

/** A 200 JSON body as MLflow writes it: NaN and ±Infinity as protobuf's JSON strings. */
export function mlflowJson(c: Context, body: unknown): Response {
  return c.body(toJson(body), 200, { 'content-type': 'application/json' })
}

/**
 * Registers an MLflow endpoint: a read (read-paths.ts) for GET and POST (MLflow's
 * clients use GET with a query string for reads, POST for searches), any other
 * for POST only, so a GET (a link, an <img>, a read-only token) never writes;
 * any error becomes MLflow's `{ error_code, message }`.
 *
 * @example endpoint(app, '/runs/get', (f) => ({ run: backend.getRun(runIdOf(f)) }))
 */
export function endpoint(app: Hono, path: string, fn: MlflowHandler, methods: string[] = MLFLOW_READ_PATHS.has(path) ? ['GET', 'POST'] : ['POST']): void {
  app.on(methods, path, async (c) => {
    try {
      const result = await fn(await requestFields(c), c)
      return result instanceof Response ? result : mlflowJson(c, result ?? {})
    } catch (e) {
      return toMlflowError(e, c)
    }
  })
}
