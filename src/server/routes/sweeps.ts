import { Hono } from 'hono'
import { jsonResponse } from '../errors.js'
import type { ServerState } from '../state.js'
import { noQuery } from '../validators.js'

/**
 * Sweeps, read-only: the list with counts and best values, and one sweep with
 * its config and trials (params, status, value, deepest step) for the sweep page.
 */
export function sweepRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/sweeps', noQuery, (c) => {
    return jsonResponse(c, { sweeps: db.listSweeps() })
  })

  app.get('/sweeps/:name', noQuery, (c) => {
    const sweep = db.getSweep(c.req.param('name')) // 404 for an unknown sweep
    return jsonResponse(c, { sweep: sweep.summary(), config: sweep.config, trials: sweep.trials() })
  })

  return app
}
