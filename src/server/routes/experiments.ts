import { Hono } from 'hono'
import { z } from 'zod'
import { checkKey } from '../../api/validate.js'
import { listExperimentsCompactJson, listExperimentsJson } from '../../store/experiments-json.js'
import { listProjectActivity } from '../../store/project-activity.js'
import { listProjects } from '../../store/projects.js'
import { jsonResponse } from '../errors.js'
import { experimentView } from '../experiment-detail.js'
import { boolParam, intParam } from '../query-params.js'
import type { ServerState } from '../state.js'
import { jsonValidator, noQuery, queryValidator } from '../validators.js'

/** The table loads every experiment at once; above this, page with offset. */
export const MAX_LIMIT = 50_000
const DEFAULT_LIMIT = 10_000

const listQuery = z.strictObject({
  project: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  where: z.string().max(10_000).optional(),
  orderBy: z.string().max(1_000).optional(),
  limit: intParam(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: intParam(0, Number.MAX_SAFE_INTEGER).default(0),
  trashed: boolParam.default(false),
})

const patchBody = z.strictObject({
  // the same limit as Database.setNotes, checked here so nothing is written when it fails
  notes: z.string().max(1_000_000).optional(),
  tags: z.record(z.string(), z.string()).optional(),
})

/** Projects, the experiments table, one experiment, and notes/tags edits. */
export function experimentRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/projects', queryValidator(z.strictObject({ by: z.enum(['name', 'activity']).default('name') })), (c) => {
    const q = c.req.valid('query')
    // by=activity: the most recently active first, with `latestAt` (the dashboard's table opens on the first)
    return jsonResponse(c, { projects: q.by === 'activity' ? listProjectActivity(db.sqlite) : listProjects(db.sqlite) })
  })

  app.get('/experiments', queryValidator(listQuery), (c) => {
    const q = c.req.valid('query')
    const options = { project: q.project, status: q.status, where: q.where, orderBy: q.orderBy, trashed: q.trashed }
    // The filter is compiled (and its syntax errors raised) before any row is read.
    // SQLite writes the rows' JSON (see experiments-json.ts): 10,000 rows in the time budget.
    // `x-mldb-listing: compact` (the dashboard's table): each row's stored summary as it is, expanded by the browser;
    // a header, not a parameter, so a server that does not know it answers the full form.
    const page = { ...options, limit: q.limit, offset: q.offset }
    const compact = c.req.header('x-mldb-listing') === 'compact' ? listExperimentsCompactJson(db.sqlite, page) : undefined
    const { json, count } = compact ?? listExperimentsJson(db.sqlite, page)
    const total = q.offset === 0 && count < q.limit ? count : db.countExperiments(options)
    return c.body(`{"total":${total},"experiments":${json}}`, 200, { 'content-type': 'application/json; charset=utf-8' })
  })

  app.get('/experiments/:name', noQuery, (c) => {
    return jsonResponse(c, experimentView(db.getExperiment(c.req.param('name'))))
  })

  app.patch('/experiments/:name', jsonValidator(patchBody), async (c) => {
    const name = c.req.param('name')
    const body = c.req.valid('json')
    db.getExperiment(name) // 404 before anything is written (setTags would create it)
    // Every check the two API calls make is made first, so neither write can
    // be refused after the other landed.
    for (const key of Object.keys(body.tags ?? {})) checkKey('tag key', key)
    if (body.tags) db.setTags(name, body.tags)
    if (body.notes !== undefined) db.setNotes(name, body.notes)
    state.localWrites++
    return jsonResponse(c, experimentView(db.getExperiment(name)))
  })

  return app
}
