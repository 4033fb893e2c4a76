import type { MiddlewareHandler } from 'hono'

/**
 * Forbids framing every response (clickjacking the notes and tags editor):
 * `X-Frame-Options: DENY` for old browsers and CSP `frame-ancestors 'none'`,
 * appended to a route's own policy (the SVG sandbox) instead of replacing it.
 *
 * @example app.use('*', frameHeaders())
 */
export function frameHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    c.res.headers.set('x-frame-options', 'DENY')
    const csp = c.res.headers.get('content-security-policy')
    if (!csp) c.res.headers.set('content-security-policy', "frame-ancestors 'none'")
    else if (!/frame-ancestors/i.test(csp)) c.res.headers.set('content-security-policy', `${csp}; frame-ancestors 'none'`)
  }
}
