import { Hono } from 'hono'
import { ValidationError } from '../../errors.js'
import { jsonResponse } from '../errors.js'
import type { ServerState } from '../state.js'

/** Series one request may ask about (the compare page asks for every key of a few runs). */
const MAX_KEYS = 1000
/** Longer than any series key the store accepts. */
const MAX_KEY_CHARS = 2000

/**
 * `GET /api/directions?series=valid/acc&series=train/loss` → `{ directions: { 'valid/acc': 'max', 'train/loss': 'min' } }`:
 * which way each series is optimised, by the same rule as the CLI and the API
 * (the config file's "directions", then the shared word list), so the dashboard
 * never keeps a copy of the rule.
 */
export function directionRoutes(state: ServerState): Hono {
  const app = new Hono()
  app.get('/directions', (c) => {
    const keys = c.req.queries('series') ?? []
    if (keys.length > MAX_KEYS) throw new ValidationError(`ask for at most ${MAX_KEYS} series at once (got ${keys.length})`, 'series')
    for (const k of keys)
      if (k === '' || k.length > MAX_KEY_CHARS)
        throw new ValidationError(
          `name each series such as "valid/acc" (${k === '' ? 'got an empty one' : `one is over ${MAX_KEY_CHARS} characters`})`,
          'series',
        )
    const directions: Record<string, string> = {}
    for (const k of keys) directions[k] = state.db.seriesDirection(k)
    return jsonResponse(c, { directions })
  })
  return app
}
