import { type Context, Hono } from 'hono'
import type { Store } from '../../store/store.js'
import { jsonResponse } from '../errors.js'
import { parseJsonBody } from '../validate.js'
import {
  createExperimentBody,
  fastPointsBody,
  fileBody,
  notesBody,
  type PointsBodyPoint,
  paramsBody,
  pointsBody,
  statusBody,
  tagsBody,
} from './write-schemas.js'

/**
 * A points body: a well-formed JSON batch is checked by hand (fastPointsBody);
 * anything else goes through parseJsonBody and zod, which word the 400. Hono
 * keeps the body text, so the second read costs nothing.
 */
async function readPointsBody(c: Context): Promise<{ client: string; seq: number; points: PointsBodyPoint[] }> {
  if ((c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      body = undefined
    }
    const fast = fastPointsBody(body)
    if (fast) return fast
  }
  return await parseJsonBody(c, pointsBody)
}

/**
 * The write API of `mldb server`: every body carries `client` and `seq`, the
 * write's id; a write whose id the store has seen answers 200 with
 * `"duplicate": true` and writes nothing, so a client retries freely after a
 * timeout or a 503. `onWrite` tells the live feed something changed.
 *
 * @example app.route('/api', writeRoutes(store))
 */
export function writeRoutes(store: Store, onWrite: () => void = () => {}): Hono {
  const app = new Hono()
  const done = (r: { duplicate: boolean }, extra: Record<string, unknown> = {}) => {
    if (!r.duplicate) onWrite()
    return { ok: true, duplicate: r.duplicate, ...extra }
  }

  app.post('/experiments', async (c) => {
    const b = await parseJsonBody(c, createExperimentBody)
    const { client, seq, ...e } = b
    const r = await store.createExperiment({ client, seq }, e)
    return jsonResponse(c, done(r, { name: e.name }), r.duplicate ? 200 : 201)
  })

  app.post('/experiments/:name/status', async (c) => {
    const b = await parseJsonBody(c, statusBody)
    return jsonResponse(c, done(await store.setStatus(b, c.req.param('name'), b.status)))
  })

  app.post('/experiments/:name/params', async (c) => {
    const b = await parseJsonBody(c, paramsBody)
    return jsonResponse(c, done(await store.setParams(b, c.req.param('name'), b.params)))
  })

  app.post('/experiments/:name/tags', async (c) => {
    const b = await parseJsonBody(c, tagsBody)
    return jsonResponse(c, done(await store.setTags(b, c.req.param('name'), b.tags)))
  })

  app.post('/experiments/:name/notes', async (c) => {
    const b = await parseJsonBody(c, notesBody)
    return jsonResponse(c, done(await store.setNotes(b, c.req.param('name'), b.notes)))
  })

  app.post('/experiments/:name/points', async (c) => {
    const b = await readPointsBody(c)
    const now = Date.now()
    const points = b.points.map((p) => ({ name: p.name, split: p.split, step: p.step, value: p.value, time: p.time ?? now }))
    return jsonResponse(c, done(await store.logPoints(b, c.req.param('name'), points), { points: points.length }))
  })

  app.post('/experiments/:name/files', async (c) => {
    const b = await parseJsonBody(c, fileBody)
    const { client, seq, ...file } = b
    const r = await store.addFile({ client, seq }, c.req.param('name'), file)
    return jsonResponse(c, done(r, { file: r.file ?? null }), r.duplicate ? 200 : 201)
  })

  return app
}
