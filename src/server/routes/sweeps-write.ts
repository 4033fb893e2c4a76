import { Hono } from 'hono'
import { z } from 'zod'
import { ValidationError } from '../../errors.js'
import type { Store } from '../../store/store.js'
import { jsonResponse } from '../errors.js'
import { jsonValidator, noQuery } from '../validators.js'
import { pointValue, unicodeOnly, writeId } from './write-schemas.js'

/** POST /api/sweeps: a sweep config in W&B's format or camelCase (checked by the same parser as `mldb sweep create`). */
export const createSweepBody = unicodeOnly(z.strictObject({ ...writeId, config: z.record(z.string(), z.json()) }))

/** POST /api/sweeps/{name}/claim: who asks; `uuid` is the mldb.uuid of the trial's experiment, and finds the trial again on a retry. */
export const claimBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    uuid: z.string().min(1).max(200),
    host: z.string().max(256).default(''),
    pid: z.number().int().min(0).default(0),
  }),
)

/** POST /api/sweeps/{name}/trials/{number}/end */
export const endBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    status: z.enum(['COMPLETE', 'PRUNED', 'FAILED']),
    value: pointValue.nullable().optional().describe("the trial's final value; absent: the metric's last reported value"),
    note: z.string().max(100_000).optional().describe("appended to the experiment's notes (FAILED: the error)"),
  }),
)

/** The route's trial number, or a 400 naming it. */
function trialNumber(n: string): number {
  if (!/^\d{1,15}$/.test(n)) throw new ValidationError(`a trial number is a whole number from 0, got "${n.slice(0, 40)}"`, 'number')
  return Number(n)
}

/**
 * Sweeps on `mldb server` (any Store): the next trial is claimed here, in one
 * transaction on the server, so agents on many machines never get the same
 * trial; the trial's end and the pruner's answer go here too. `readRoutes`:
 * also GET /sweeps and /sweeps/{name}, which the SQLite-only dashboard routes
 * serve otherwise.
 *
 * @example app.route('/api', sweepWriteRoutes(store, { readRoutes: store.kind === 'postgres' }))
 */
export function sweepWriteRoutes(store: Store, options: { readRoutes: boolean }): Hono {
  const app = new Hono()

  app.post('/sweeps', jsonValidator(createSweepBody), async (c) => {
    const b = c.req.valid('json')
    const r = await store.sweeps.create(b, b.config)
    return jsonResponse(c, { ok: true, duplicate: r.duplicate, ...r.sweep }, r.duplicate ? 200 : 201)
  })

  app.post('/sweeps/:name/claim', jsonValidator(claimBody), async (c) => {
    const b = c.req.valid('json')
    const r = await store.sweeps.claim(b, c.req.param('name'), { uuid: b.uuid, host: b.host, pid: b.pid })
    return jsonResponse(c, { ok: true, duplicate: r.duplicate, trial: r.trial })
  })

  app.post('/sweeps/:name/trials/:number/end', jsonValidator(endBody), async (c) => {
    const b = c.req.valid('json')
    const r = await store.sweeps.end(b, c.req.param('name'), trialNumber(c.req.param('number')), { status: b.status, value: b.value, note: b.note })
    return jsonResponse(c, { ok: true, duplicate: r.duplicate })
  })

  app.post('/sweeps/:name/trials/:number/heartbeat', async (c) => {
    await store.sweeps.heartbeat(c.req.param('name'), trialNumber(c.req.param('number')))
    return jsonResponse(c, { ok: true })
  })

  app.get('/sweeps/:name/trials/:number/prune', noQuery, async (c) => {
    return jsonResponse(c, { prune: await store.sweeps.shouldPrune(c.req.param('name'), trialNumber(c.req.param('number'))) })
  })

  app.post('/sweeps/:name/stop', jsonValidator(z.strictObject(writeId)), async (c) => {
    const b = c.req.valid('json')
    const r = await store.sweeps.stop(b, c.req.param('name'))
    return jsonResponse(c, { ok: true, duplicate: r.duplicate })
  })

  if (options.readRoutes) {
    app.get('/sweeps', noQuery, async (c) => {
      return jsonResponse(c, { sweeps: await store.sweeps.list() })
    })
    app.get('/sweeps/:name', noQuery, async (c) => {
      return jsonResponse(c, await store.sweeps.get(c.req.param('name')))
    })
  }
  return app
}
