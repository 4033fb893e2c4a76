import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { validator } from 'hono/validator'
import { z } from 'zod'
import { jsonTooDeep, MAX_JSON_DEPTH } from './json-depth.js'
import { protoKeyAt } from './proto-keys.js'

// Hono's `validator` middleware with zod schemas: a route reads the checked
// value with `c.req.valid('query' | 'json')`, typed by the schema. A refusal is
// an HTTPException 400 whose message names the field; the apps' onError
// (errors.ts) writes it as mldb's `{ error: { code, message } }`.

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

const badRequest = (message: string) => new HTTPException(400, { message })

/**
 * Checks the query string with a strict zod object schema (unknown parameters
 * are refused, so a typo such as `limt=` is not silently ignored). `token` is
 * left to the auth middleware; a repeated parameter counts once, its first
 * value, as `c.req.query()` reads it.
 *
 * @example app.get('/x', queryValidator(z.strictObject({ limit: intParam(1, 10).optional() })), (c) => c.req.valid('query').limit)
 */
export function queryValidator<S extends z.ZodType>(schema: S) {
  return validator('query', (value) => {
    const query: Record<string, string> = {}
    for (const [key, v] of Object.entries(value)) if (key !== 'token') query[key] = Array.isArray(v) ? (v[0] as string) : v
    const r = schema.safeParse(query)
    if (!r.success) throw badRequest(describeIssues('query parameter', r.error))
    return r.data as z.output<S>
  })
}

/** A route that takes no query parameters (but `token`): any other is a 400 naming it. */
export const noQuery = queryValidator(z.strictObject({}))

/** Hono's words for a body JSON.parse refused (hono/validator); mldb says where, as JSON.parse does. */
const HONO_MALFORMED_JSON = 'Malformed JSON in request body'
/** The media types Hono's validator parses as JSON (application/json, application/x+json). */
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i

/**
 * The checks of a JSON body after Hono parsed it: the content type, the depth,
 * then the schema. `fast` may accept a well-formed body without zod (a large
 * points batch); anything it returns undefined for goes through the schema.
 */
function checkBody<S extends z.ZodType>(c: Context, body: unknown, schema: S, fast?: (body: unknown) => z.output<S> | undefined): z.output<S> {
  const type = c.req.header('content-type') ?? ''
  // Hono leaves any other type unparsed ({}): refuse it rather than read an empty body
  if (!JSON_MEDIA.test(type.split(';')[0]?.trim() ?? '')) {
    throw badRequest(`send the body as JSON with "Content-Type: application/json" (got "${type}")`)
  }
  const quick = fast?.(body)
  if (quick !== undefined) return quick
  // JSON.parse takes any depth, zod's recursion does not: a deep value is a 400, not a stack overflow
  for (const [name, value] of typeof body === 'object' && body !== null ? Object.entries(body) : []) {
    if (jsonTooDeep(value, MAX_JSON_DEPTH)) throw badRequest(`body field "${name}" is nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
  const proto = protoKeyAt(body)
  if (proto) throw badRequest(`body field "${proto}": the name __proto__ cannot be stored (mldb keeps these keys in JavaScript objects); rename it`)
  const r = schema.safeParse(body)
  if (!r.success) throw badRequest(describeIssues('body field', r.error))
  return r.data as z.output<S>
}

/**
 * Checks a JSON request body with a zod schema; a wrong content type, a
 * malformed, too deep or wrong body is a 400 naming what is wrong.
 *
 * @example app.post('/x', jsonValidator(z.strictObject({ name: z.string() })), (c) => c.req.valid('json').name)
 */
export function jsonValidator<S extends z.ZodType>(schema: S, fast?: (body: unknown) => z.output<S> | undefined) {
  const check = validator('json', (value, c) => checkBody(c, value, schema, fast))
  const withWhere: typeof check = async (c, next) => {
    // Hono parses the bytes as sent: a gzip body would be a JSON.parse error quoting its header's bytes
    const encoding = c.req.header('content-encoding')?.trim() ?? ''
    if (encoding !== '' && encoding.toLowerCase() !== 'identity') {
      throw new HTTPException(415, { message: `the body is sent with "Content-Encoding: ${encoding}"; mldb takes JSON bodies uncompressed` })
    }
    return check(c, next).catch(async (e: unknown) => {
      if (!(e instanceof HTTPException) || e.message !== HONO_MALFORMED_JSON) throw e
      // Hono parsed the text it keeps: parsing it again gives JSON.parse's own words (what and where)
      let why = 'it does not parse'
      try {
        JSON.parse(await c.req.text())
      } catch (syntax) {
        why = (syntax as Error).message
      }
      throw badRequest(`the body is not valid JSON: ${why}`)
    })
  }
  return withWhere
}
