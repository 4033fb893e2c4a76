import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DatabaseBusyError, DatabaseError, MldbError, NotFoundError, SchemaVersionError, ValidationError } from '../errors.js'
import { toJson } from '../json.js'

/** The machine-readable codes of error bodies; the web app switches on them. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'not_built'
  | 'too_large'
  | 'too_many_requests'
  | 'database_error'
  | 'internal'
  | 'unavailable'

/**
 * The code of an HTTPException's status: the refusals a route throws (a bad
 * query or body, a missing file, too many streams) carry a status only.
 */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  429: 'too_many_requests',
  503: 'unavailable',
}

/**
 * A JSON response written with toJson, so NaN and ±Infinity survive as strings.
 *
 * @example return jsonResponse(c, { ok: true })
 */
export function jsonResponse(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(toJson(body), status, { 'content-type': 'application/json; charset=utf-8' })
}

/** `{ error: { code, message } }` with its status. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string): Response {
  return jsonResponse(c, { error: { code, message } }, status)
}

/**
 * Maps anything thrown by a handler to a JSON error. Hono's HTTPException
 * (validators.ts, file and stream refusals) and user mistakes (MldbError
 * subclasses) keep their message; anything else is a 500 whose stack goes to
 * stderr, not to the client.
 */
export function toErrorResponse(err: unknown, c: Context): Response {
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode
    return errorResponse(c, status, CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request'), err.message)
  }
  if (err instanceof NotFoundError) return errorResponse(c, 404, 'not_found', err.message)
  if (err instanceof ValidationError) return errorResponse(c, 400, 'bad_request', err.message)
  // Another process holds the lock (a long import, a stuck script): the server is fine, try again later.
  if (err instanceof DatabaseBusyError) {
    c.header('Retry-After', '5')
    return errorResponse(c, 503, 'unavailable', err.message)
  }
  if (err instanceof DatabaseError || err instanceof SchemaVersionError) return errorResponse(c, 500, 'database_error', err.message)
  if (err instanceof MldbError) return errorResponse(c, 500, 'internal', err.message)
  console.error('mldb ui: unexpected error on', c.req.method, c.req.path, err)
  return errorResponse(c, 500, 'internal', `internal error: ${err instanceof Error ? err.message : String(err)}`)
}
