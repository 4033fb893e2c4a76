import type { MiddlewareHandler } from 'hono'
import { incoming } from './connection.js'
import { errorResponse } from './errors.js'

/** "Host:Port" as a URL normalises it (lower case, default port dropped), or undefined. */
function hostWithPort(value: string): string | undefined {
  try {
    return new URL(`http://${value}/`).host
  } catch {
    return undefined
  }
}

/** Methods that never change anything; everything else is a write. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Sec-Fetch-Site values of a request made by the dashboard's own page or typed by the user. */
const OWN = new Set(['same-origin', 'none'])

/**
 * Refuses writes sent by another site's page: a browser tells us with
 * `Sec-Fetch-Site` (where "same-site" still means another port or subdomain)
 * and `Origin`, which must name this very host and port. Clients that are not
 * browsers send neither and are judged by the token alone.
 *
 * @example app.use('*', crossSiteWrites())
 */
export function crossSiteWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next()
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && !OWN.has(site.toLowerCase())) {
      return errorResponse(c, 403, 'forbidden', `a ${site} ${c.req.method} is refused: only the dashboard's own page may write`)
    }
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      const host = incoming(c)?.headers.host ?? c.req.header('host') ?? new URL(c.req.url).host
      let originHost: string | undefined
      try {
        originHost = origin === 'null' ? undefined : new URL(origin).host
      } catch {
        originHost = undefined
      }
      const ownHost = typeof host === 'string' ? hostWithPort(host) : undefined
      if (originHost === undefined || ownHost === undefined || originHost !== ownHost) {
        return errorResponse(c, 403, 'forbidden', `a ${c.req.method} from origin ${origin} is refused: only the dashboard's own page may write`)
      }
    }
    return next()
  }
}
