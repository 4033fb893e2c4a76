// One request per chart panel: the downsampled series of many experiments at
// once. Charting a 300-run sweep used to take a request per line (1,201 in
// all); a panel now asks once, with a bucket count matched to its pixel width.
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ValidationError } from '../../errors.js'
import { parseSeriesKey } from '../../query/filter.js'
import { downsampleManyJson, type SeriesRef } from '../../store/downsample-many.js'
import { boolParam, intParam, numParam } from '../query-params.js'
import type { ServerState } from '../state.js'

/** Experiments one request may name; a longer list is split by the client. */
export const MAX_BATCH_EXPERIMENTS = 2_000
/** Series keys one request may name (the splits of one panel). */
export const MAX_BATCH_SERIES = 32
/** Buckets per line: more than any screen is wide. */
export const MAX_BATCH_BUCKETS = 4_000
/** Buckets in one answer (lines × buckets), so one request cannot hold the server for long. */
export const MAX_BATCH_CELLS = 4_000_000

const one = z.strictObject({
  buckets: intParam(1, MAX_BATCH_BUCKETS).default(600),
  from: numParam.transform(Math.floor).optional(),
  to: numParam.transform(Math.ceil).optional(),
  bands: boolParam.default(true),
  // a chart of step needs no wall times: 13 digits a bucket, half of a 300-run answer
  times: boolParam.default(true),
  // significant digits of values: a chart reads 4, full precision triples the bytes
  digits: intParam(1, 17).optional(),
})

/** One line of the answer: columns, not objects, so 600 lines × 600 buckets stay small. */
export interface BatchLine {
  exp: string
  series: string
  step: number[]
  /** only with times (the default) */
  time?: number[]
  last: number[]
  /** only with bands (the default) */
  min?: number[]
  max?: number[]
  count: number[]
  nanCount: number[]
}

/** A parsed `/api/downsample` request: every (experiment, series key) pair and the shared options. */
export interface BatchRequest {
  refs: (SeriesRef & { key: string })[]
  q: z.infer<typeof one>
}

/**
 * Reads and checks the query of `/api/downsample` (the same on every backend): a
 * ValidationError (400) naming the parameter for anything unknown, repeated or out of range.
 */
export function parseBatchQuery(c: Context): BatchRequest {
  const all = c.req.queries()
  for (const [k, v] of Object.entries(all)) {
    if (k === 'token') continue
    if (k !== 'exp' && k !== 'series' && !(k in one.shape)) throw new ValidationError(`unknown query parameter "${k}"`)
    if (k !== 'exp' && k !== 'series' && v.length > 1) throw new ValidationError(`query parameter "${k}" is given ${v.length} times; give it once`)
  }
  const exps = [...new Set(all.exp ?? [])]
  const keys = [...new Set(all.series ?? [])]
  if (exps.length === 0) throw new ValidationError('name at least one experiment with exp=NAME')
  if (keys.length === 0) throw new ValidationError('name at least one series with series=KEY, such as series=train/loss')
  if (exps.length > MAX_BATCH_EXPERIMENTS)
    throw new ValidationError(`at most ${MAX_BATCH_EXPERIMENTS} experiments per request (got ${exps.length}); split the list`)
  if (keys.length > MAX_BATCH_SERIES) throw new ValidationError(`at most ${MAX_BATCH_SERIES} series per request (got ${keys.length})`)
  const single: Record<string, string> = {}
  for (const k of Object.keys(one.shape)) {
    const v = all[k]?.[0]
    if (v !== undefined) single[k] = v
  }
  const r = one.safeParse(single)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new ValidationError(`query parameter "${issue?.path.join('.')}": ${issue?.message}`)
  }
  const q = r.data
  const cells = exps.length * keys.length * q.buckets
  if (cells > MAX_BATCH_CELLS)
    throw new ValidationError(
      `${exps.length} experiments × ${keys.length} series × ${q.buckets} buckets is over ${MAX_BATCH_CELLS}; ask for fewer buckets or split the list`,
    )
  for (const key of keys) if (key.length === 0) throw new ValidationError('series=: name a series such as "valid/loss" or "rmse"')

  const refs: (SeriesRef & { key: string })[] = []
  for (const exp of exps) for (const key of keys) refs.push({ exp, key, ...parseSeriesKey(key) })
  return { refs, q }
}

/** The answer of `/api/downsample` from each pair's columns as JSON members (undefined: the pair does not exist). */
export function batchBody(c: Context, req: BatchRequest, read: readonly (string | undefined)[]): Response {
  // Each line's columns come as JSON text from the store (SQLite writes most of it): nothing is parsed and re-printed here.
  const parts: string[] = []
  const missing: { exp: string; series: string }[] = []
  req.refs.forEach((ref, i) => {
    const cols = read[i]
    if (cols === undefined) missing.push({ exp: ref.exp, series: ref.key })
    else parts.push(`{"exp":${JSON.stringify(ref.exp)},"series":${JSON.stringify(ref.key)},${cols}}`)
  })
  return c.body(`{"buckets":${req.q.buckets},"lines":[${parts.join(',')}],"missing":${JSON.stringify(missing)}}`, 200, {
    'content-type': 'application/json; charset=utf-8',
  })
}

/**
 * `GET /api/downsample?exp=a&exp=b&series=train/loss&series=valid/loss&buckets=600[&from=&to=][&bands=0][&times=0][&digits=6]`:
 * every (experiment, series) pair that exists, downsampled over the same step range.
 * Pairs that do not exist are listed in `missing` (a run need not log every split).
 *
 * @example const r = await app.request('/api/downsample?exp=a&exp=b&series=loss&buckets=300')
 */
export function seriesBatchRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/downsample', (c) => {
    const req = parseBatchQuery(c)
    const { q } = req
    return batchBody(
      c,
      req,
      downsampleManyJson(db.sqlite, req.refs, { buckets: q.buckets, from: q.from, to: q.to, bands: q.bands, times: q.times, digits: q.digits }),
    )
  })

  return app
}
