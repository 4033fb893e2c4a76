import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { MldbError, NotFoundError, ValidationError } from '../../errors.js'
import { toJson } from '../../json.js'

/** MLflow's error codes (mlflow/protos/databricks.proto) that these routes answer with. */
export type MlflowErrorCode =
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_PARAMETER_VALUE'
  | 'ENDPOINT_NOT_FOUND'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR'

/** The HTTP status MLflow's server gives each code: never 429/5xx for a deterministic error, since clients retry those. */
const STATUS: Record<MlflowErrorCode, ContentfulStatusCode> = {
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
  ENDPOINT_NOT_FOUND: 404,
  // 501 is not among the statuses MLflow's client retries (408, 429, 500, 502-504)
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
}

/**
 * An error of the MLflow API, answered as MLflow does: `{ error_code, message }`.
 *
 * @example throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${id} not found`)
 */
export class MlflowApiError extends MldbError {
  override name = 'MlflowApiError'
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** MLflow's wording for a missing or ill-typed request field. */
export function invalidParam(name: string, value: unknown, why: string): MlflowApiError {
  const shown = value === undefined ? '' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`
  return new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid value${shown} for parameter '${name}' supplied: ${why}`)
}

/** `{ error_code, message }` with the code's status. */
export function mlflowError(c: Context, code: MlflowErrorCode, message: string): Response {
  return c.body(toJson({ error_code: code, message }), STATUS[code], { 'content-type': 'application/json' })
}

/**
 * Maps anything a route threw to MLflow's error body: mldb's own user errors
 * become INVALID_PARAMETER_VALUE or RESOURCE_DOES_NOT_EXIST, an unreachable
 * database TEMPORARILY_UNAVAILABLE (503: retrying helps), the rest INTERNAL_ERROR.
 */
export function toMlflowError(err: unknown, c: Context): Response {
  if (err instanceof MlflowApiError) return mlflowError(c, err.code, err.message)
  if (err instanceof NotFoundError) return mlflowError(c, 'RESOURCE_DOES_NOT_EXIST', err.message)
  if (err instanceof ValidationError) return mlflowError(c, 'INVALID_PARAMETER_VALUE', err.message)
  // by name: the team server's StoreUnavailableError, or SQLite busy past its retries
  const name = (err as Error | undefined)?.name
  if (name === 'StoreUnavailableError' || name === 'DatabaseBusyError') {
    return mlflowError(c, 'TEMPORARILY_UNAVAILABLE', (err as Error).message)
  }
  if (!(err instanceof MldbError)) console.error('mldb: unexpected error on', c.req.method, c.req.path, err)
  return mlflowError(c, 'INTERNAL_ERROR', `internal error: ${err instanceof Error ? err.message : String(err)}`)
}
