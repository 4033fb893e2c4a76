import { Hono } from 'hono'
import { z } from 'zod'
import { fileProblem } from '../../api/files.js'
import { BEFORE_FIRST_STEP, MAX_STEP } from '../../store/steps.js'
import type { Store } from '../../store/store.js'
import type { FileRecord } from '../../store/types.js'
import { CHANGES_OVERLAP_MS } from '../change-feed.js'
import { jsonResponse } from '../errors.js'
import { boolParam, intParam, numParam } from '../query-params.js'
import { noQuery, queryValidator } from '../validators.js'

const listQuery = z.strictObject({
  project: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  where: z.string().max(10_000).optional(),
  orderBy: z.string().max(1_000).optional(),
  limit: intParam(1, 50_000).default(10_000),
  offset: intParam(0, Number.MAX_SAFE_INTEGER).default(0),
  trashed: boolParam.default(false),
})
const seriesKey = z.string().min(1, 'name a series such as "valid/loss" or "rmse"')
const pointsQuery = z.strictObject({
  series: seriesKey,
  after: intParam(BEFORE_FIRST_STEP, MAX_STEP).optional(), // omitted: from the start
  limit: intParam(1, 1_000_000).default(100_000),
})
const downsampleQuery = z.strictObject({
  series: seriesKey,
  buckets: intParam(1, 100_000).default(1000),
  from: numParam.transform(Math.floor).optional(),
  to: numParam.transform(Math.ceil).optional(),
})

/** A file as the server shows it: whether its bytes are in the artifact store, and where to download them. */
export interface ServedFile extends FileRecord {
  /** the server holds these bytes (uploaded to /api/artifacts/{sha256}) */
  stored: boolean
  problem: null | 'missing' | 'changed'
  url: string | null
}

/**
 * The read API the dashboard uses, answered by any Store (SQLite or
 * PostgreSQL) with the same JSON as `mldb ui`'s: health, projects, the
 * experiments table, one experiment (its files say whether the server holds
 * their bytes), series, points and downsampled buckets.
 *
 * @example app.route('/api', storeReadRoutes(store, { localFiles: true }))
 */
export function storeReadRoutes(store: Store, options: { localFiles: boolean }): Hono {
  const app = new Hono()

  app.get('/health', noQuery, async (c) => {
    return jsonResponse(c, { ok: true, backend: store.kind, db: store.location, version: await store.version() })
  })

  app.get('/projects', queryValidator(z.strictObject({ by: z.enum(['name', 'activity']).default('name') })), async (c) => {
    const q = c.req.valid('query')
    // by=activity: the most recently active first, with `latestAt` (as on a file: routes/experiments.ts)
    if (q.by === 'activity') return jsonResponse(c, { projects: await store.listProjectActivity() })
    const projects = await store.listProjects()
    return jsonResponse(c, { projects: projects.map((p) => ({ name: p.name, count: p.experiments })) })
  })

  app.get('/experiments', queryValidator(listQuery), async (c) => {
    const q = c.req.valid('query')
    const options = { project: q.project, status: q.status, where: q.where, orderBy: q.orderBy, trashed: q.trashed }
    // The database writes the rows' JSON: 10,000 experiments without building 60,000 objects here.
    const { json, count } = await store.listExperimentsJson({ ...options, limit: q.limit, offset: q.offset })
    const total = q.offset === 0 && count < q.limit ? count : await store.countExperiments(options)
    return c.body(`{"total":${total},"experiments":${json}}`, 200, { 'content-type': 'application/json; charset=utf-8' })
  })

  // The dashboard's live view polls this: what changed since its last answer (with an overlap for clock skew).
  app.get('/changes', queryValidator(z.strictObject({ since: numParam.transform(Math.floor) })), async (c) => {
    const q = c.req.valid('query')
    const now = Date.now()
    const { ids, trashed } = await store.changedSince(q.since - CHANGES_OVERLAP_MS, now)
    const json = ids.length ? (await store.listExperimentsJson({ ids })).json : '[]'
    return c.body(`{"now":${now},"experiments":${json},"trashed":${JSON.stringify(trashed)}}`, 200, { 'content-type': 'application/json; charset=utf-8' })
  })

  app.get('/experiments/:name', noQuery, async (c) => {
    const e = await store.getExperiment(c.req.param('name'))
    const files: ServedFile[] = []
    for (const f of e.files) {
      const stored = f.sha256 !== null && (await store.artifactSize(f.sha256)) === f.size
      if (stored) files.push({ ...f, stored, problem: null, url: `/api/artifacts/${f.sha256}` })
      else if (options.localFiles) files.push({ ...f, stored, problem: fileProblem(f) ?? null, url: `/api/files/${f.id}` })
      else files.push({ ...f, stored, problem: 'missing', url: null })
    }
    return jsonResponse(c, { ...e, files })
  })

  app.get('/experiments/:name/series', noQuery, async (c) => {
    return jsonResponse(c, { series: await store.getSeries(c.req.param('name')) })
  })

  app.get('/experiments/:name/points', queryValidator(pointsQuery), async (c) => {
    const q = c.req.valid('query')
    const points = await store.getPoints(c.req.param('name'), q.series, { afterStep: q.after, limit: q.limit })
    return jsonResponse(c, { series: q.series, points: points.map((p) => [p.step, p.time, p.value]) })
  })

  app.get('/experiments/:name/downsample', queryValidator(downsampleQuery), async (c) => {
    const q = c.req.valid('query')
    const buckets = await store.downsample(c.req.param('name'), q.series, { buckets: q.buckets, from: q.from, to: q.to })
    return jsonResponse(c, { series: q.series, buckets })
  })

  return app
}
