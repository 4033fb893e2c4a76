import type { Context, Hono } from 'hono'
import { toJson } from '../../json.js'
import { toMlflowError } from './errors.js'
import { requestFields } from './wire.js'

/** What a route does with the request's fields; its result is the JSON body. */
export type MlflowHandler = (fields: Record<string, unknown>, c: Context) => unknown | Promise<unknown>

/** A 200 JSON body as MLflow writes it: NaN and ±Infinity as protobuf's JSON strings. */
export function mlflowJson(c: Context, body: unknown): Response {
  return c.body(toJson(body), 200, { 'content-type': 'application/json' })
}

/**
 * Registers an MLflow endpoint for GET and POST (MLflow's clients use GET with
 * a query string for reads, POST with a JSON body for the rest, some either);
 * any error becomes MLflow's `{ error_code, message }`.
 *
 * @example endpoint(app, '/runs/get', (f) => ({ run: backend.getRun(runIdOf(f)) }))
 */
export function endpoint(app: Hono, path: string, fn: MlflowHandler, methods: string[] = ['GET', 'POST']): void {
  app.on(methods, path, async (c) => {
    try {
      const result = await fn(await requestFields(c), c)
      return result instanceof Response ? result : mlflowJson(c, result ?? {})
    } catch (e) {
      return toMlflowError(e, c)
    }
  })
}
