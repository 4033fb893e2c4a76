import { z } from 'zod'
import { NAME_LIMITS } from '../../api/validate.js'
import { textProblem, textProblemAt } from '../../api/validate-text.js'
import { MAX_STEP, MIN_STEP } from '../../store/steps.js'

/**
 * The bodies of the write API, one zod schema each: the server checks input
 * with them, and /api/openapi.json is generated from them (z.toJSONSchema), so
 * the document cannot drift from what is enforced.
 */

/** Every write names itself: the client's uuid (or any id up to 200 characters) and its sequence number. */
/** A point's name as sent: a series name, or `split/name` (checkSeriesName and seriesParts check it whole). */
const POINT_NAME_MAX = NAME_LIMITS.split + 1 + NAME_LIMITS.series

export const writeId = {
  client: z.string().min(1).max(200).describe('the client-chosen id: an experiment uuid, or one per process'),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe("the client's sequence number of this write; a retry sends the same"),
}

/** A JSON number, or "NaN" / "Infinity" / "-Infinity" (JSON has no such numbers). */
export const pointValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)])

const jsonValue = z.json()

/**
 * A body whose strings and keys are all text mldb stores: a lone UTF-16 surrogate (a `\udc00`
 * escape JSON.parse accepts) has no UTF-8 form, and PostgreSQL cannot hold U+0000 (a 500
 * there, which a sender retries forever), so either is a 400 naming the field, on every
 * backend, as the clients refuse it (src/api/validate-text.ts; docs/schema.md, "Limits").
 */
export function unicodeOnly<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((body, ctx) => {
    const at = textProblemAt(body)
    if (at) ctx.addIssue({ code: 'custom', path: at.path, message: at.problem })
  })
}

export const createExperimentBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    name: z.string().min(1).max(NAME_LIMITS.experiment),
    project: z.string().min(1).max(NAME_LIMITS.project).optional(),
    status: z.string().min(1).max(64).optional().describe('default TRAINING'),
    host: z.string().max(256).optional(),
    pid: z.number().int().min(0).optional(),
    params: z.record(z.string(), jsonValue).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
)

export const statusBody = unicodeOnly(z.strictObject({ ...writeId, status: z.string().min(1).max(64) }))
export const paramsBody = unicodeOnly(z.strictObject({ ...writeId, params: z.record(z.string(), jsonValue) }))
export const tagsBody = unicodeOnly(z.strictObject({ ...writeId, tags: z.record(z.string(), z.string()) }))
export const notesBody = unicodeOnly(z.strictObject({ ...writeId, notes: z.string().max(1_000_000) }))

/** Points per request; a client sends more as several writes. */
export const MAX_BATCH = 100_000

export const pointsBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    points: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(POINT_NAME_MAX),
          split: z.string().max(64).default(''),
          step: z.number().int().min(MIN_STEP).max(MAX_STEP).describe('any safe integer, negative ones included'),
          value: pointValue,
          time: z.number().int().min(0).optional().describe('ms since 1970; default: when the server received it'),
        }),
      )
      .max(MAX_BATCH),
  }),
)

export const fileBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    path: z.string().min(1).max(4096).describe("the path on the client's machine"),
    kind: z.enum(['model', 'checkpoint', 'image', 'plot', 'data', 'other']).default('other'),
    step: z.number().int().min(MIN_STEP).max(MAX_STEP).nullable().default(null),
    size: z.number().int().min(0),
    mtime: z.number().int().min(0),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')
      .nullable()
      .default(null)
      .describe('upload the bytes to PUT /api/artifacts/{sha256} to keep them on the server'),
    meta: z.record(z.string(), jsonValue).nullable().default(null),
  }),
)

/** A point of a points body once checked: `time` absent means "when the server received it". */
export interface PointsBodyPoint {
  name: string
  split: string
  step: number
  value: number
  time?: number | undefined
}

const POINT_KEYS = new Set(['name', 'split', 'step', 'value', 'time'])
const SPECIAL_VALUES: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

function fastPoint(p: unknown): PointsBodyPoint | undefined {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return undefined
  const o = p as Record<string, unknown>
  for (const k in o) if (!POINT_KEYS.has(k)) return undefined
  const { name, split, step, value, time } = o
  if (typeof name !== 'string' || name.length < 1 || name.length > POINT_NAME_MAX) return undefined
  if (split !== undefined && (typeof split !== 'string' || split.length > 64)) return undefined
  if (textProblem(name) || (split !== undefined && textProblem(split))) return undefined
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) return undefined
  let v: number
  if (typeof value === 'number' && Number.isFinite(value)) v = value
  else if (typeof value === 'string' && Object.hasOwn(SPECIAL_VALUES, value)) v = SPECIAL_VALUES[value] as number
  else return undefined
  if (time !== undefined && (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0)) return undefined
  return { name, split: split ?? '', step, value: v, time }
}

/**
 * `pointsBody` checked by hand for a well-formed body, several times faster than
 * zod on a batch of 500 (zod was a third of the server's time per batch). It
 * accepts a subset of what `pointsBody` accepts and returns the same values;
 * anything else is undefined, and the caller lets zod decide and word the error.
 *
 * @example fastPointsBody({ client: 'c', seq: 1, points: [{ name: 'loss', step: 0, value: 'NaN' }] })
 */
export function fastPointsBody(body: unknown): { client: string; seq: number; points: PointsBodyPoint[] } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const o = body as Record<string, unknown>
  for (const k in o) if (k !== 'client' && k !== 'seq' && k !== 'points') return undefined
  const { client, seq, points } = o
  if (typeof client !== 'string' || client.length < 1 || client.length > 200) return undefined
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined
  if (!Array.isArray(points) || points.length > MAX_BATCH) return undefined
  const out: PointsBodyPoint[] = new Array(points.length)
  for (let i = 0; i < points.length; i++) {
    const p = fastPoint(points[i])
    if (!p) return undefined
    out[i] = p
  }
  return { client, seq, points: out }
}
