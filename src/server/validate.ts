import type { Context } from 'hono'
import { z } from 'zod'
import { ValidationError } from '../errors.js'
import { jsonTooDeep, MAX_JSON_DEPTH } from './json-depth.js'

/** A query-string integer (no floats, no empty string) within [min, max]. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))

/** A query-string number (decimal or exponent notation, finite), e.g. a chart's zoom edge. */
export const numParam = z
  .string()
  .regex(/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, 'expected a number')
  .transform(Number)
  .pipe(z.number().finite())

/** A query-string boolean: true/false/1/0. */
export const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

/** Turns zod issues into one readable line naming the field. */
function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.length ? i.path.join('.') : undefined
      if (i.code === 'unrecognized_keys') return `unknown ${where} ${i.keys.map((k) => `"${k}"`).join(', ')}`
      return field ? `${where} "${field}": ${i.message}` : `${where}: ${i.message}`
    })
    .join('; ')
}

/**
 * Parses the query string with a strict zod object schema (unknown parameters
 * are refused, so a typo such as `limt=` is not silently ignored). `token` is
 * left to the auth middleware.
 *
 * @example const q = parseQuery(c, z.strictObject({ limit: intParam(1, 10).optional() }))
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const { token: _token, ...query } = c.req.query()
  const r = schema.safeParse(query)
  if (!r.success) throw new ValidationError(describeIssues('query parameter', r.error))
  return r.data
}

/** Parses a JSON request body with a zod schema; a missing or malformed body is a 400. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new ValidationError(`send the body as JSON with "Content-Type: application/json" (got "${type}")`)
  }
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch (e) {
    throw new ValidationError(`the body is not valid JSON: ${(e as Error).message}`)
  }
  // JSON.parse takes any depth, zod's recursion does not: a deep value is a 400, not a stack overflow
  for (const [name, value] of typeof body === 'object' && body !== null ? Object.entries(body) : []) {
    if (jsonTooDeep(value, MAX_JSON_DEPTH)) throw new ValidationError(`body field "${name}" is nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
  const r = schema.safeParse(body)
  if (!r.success) throw new ValidationError(describeIssues('body field', r.error))
  return r.data
}
