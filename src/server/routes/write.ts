import { Hono } from 'hono'
import type { Store } from '../../store/store.js'
import { jsonResponse } from '../errors.js'
import { jsonValidator } from '../validators.js'
import { createExperimentBody, fastPointsBody, fileBody, notesBody, paramsBody, pointsBody, statusBody, tagsBody } from './write-schemas.js'

/**
 * A points body: a well-formed JSON batch is checked by hand (fastPointsBody,
 * no zod object per point); anything else goes through zod, which words the 400.
 */
const pointsValidator = jsonValidator(pointsBody, fastPointsBody)

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

  app.post('/experiments', jsonValidator(createExperimentBody), async (c) => {
    const b = c.req.valid('json')
    const { client, seq, ...e } = b
    const r = await store.createExperiment({ client, seq }, e)
    return jsonResponse(c, done(r, { name: e.name }), r.duplicate ? 200 : 201)
  })

  app.post('/experiments/:name/status', jsonValidator(statusBody), async (c) => {
    const b = c.req.valid('json')
    return jsonResponse(c, done(await store.setStatus(b, c.req.param('name'), b.status)))
  })

  app.post('/experiments/:name/params', jsonValidator(paramsBody), async (c) => {
    const b = c.req.valid('json')
    return jsonResponse(c, done(await store.setParams(b, c.req.param('name'), b.params)))
  })

  app.post('/experiments/:name/tags', jsonValidator(tagsBody), async (c) => {
    const b = c.req.valid('json')
    return jsonResponse(c, done(await store.setTags(b, c.req.param('name'), b.tags)))
  })

  app.post('/experiments/:name/notes', jsonValidator(notesBody), async (c) => {
    const b = c.req.valid('json')
    return jsonResponse(c, done(await store.setNotes(b, c.req.param('name'), b.notes)))
  })

  app.post('/experiments/:name/points', pointsValidator, async (c) => {
    const b = c.req.valid('json')
    const now = Date.now()
    const points = b.points.map((p) => ({ name: p.name, split: p.split, step: p.step, value: p.value, time: p.time ?? now }))
    return jsonResponse(c, done(await store.logPoints(b, c.req.param('name'), points), { points: points.length }))
  })

  app.post('/experiments/:name/files', jsonValidator(fileBody), async (c) => {
    const b = c.req.valid('json')
    const { client, seq, ...file } = b
    const r = await store.addFile({ client, seq }, c.req.param('name'), file)
    return jsonResponse(c, done(r, { file: r.file ?? null }), r.duplicate ? 200 : 201)
  })

  return app
}
