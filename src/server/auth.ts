import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { errorResponse } from './errors.js'

/** The cookie that carries the token after a page load with `?token=`. */
export const TOKEN_COOKIE = 'mldb_token'

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** Whether a host name or address only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOCAL_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host)
}

// Hashing first gives equal lengths, which timingSafeEqual requires.
const digest = (s: string) => createHash('sha256').update(s).digest()
const sameToken = (given: string, token: string) => timingSafeEqual(digest(given), digest(token))

function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(.+)$/i)
  return m?.[1]?.trim()
}

/**
 * With a token: every request must carry it as `Authorization: Bearer`, as
 * `?token=` or in the `mldb_token` cookie; a valid `?token=` sets the cookie
 * (HttpOnly, SameSite=Strict) so the page's fetches and EventSource work.
 *
 * Without a token the server is bound to loopback, and requests must name a
 * loopback host: a web page cannot then read the API through DNS rebinding.
 */
export function authMiddleware(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) {
      const host = new URL(c.req.url).hostname
      if (!isLoopbackHost(host)) {
        return errorResponse(c, 403, 'forbidden', `requests for host "${host}" are refused without a token; use http://127.0.0.1 or start mldb ui with --token`)
      }
      return next()
    }
    const fromQuery = c.req.query('token')
    const given = bearer(c.req.header('authorization')) ?? fromQuery ?? getCookie(c, TOKEN_COOKIE)
    if (given === undefined || !sameToken(given, token)) {
      c.header('www-authenticate', 'Bearer realm="mldb"')
      return errorResponse(
        c,
        401,
        'unauthorized',
        given === undefined
          ? 'this mldb ui needs its token: open the URL it printed (with ?token=) or send "Authorization: Bearer <token>"'
          : 'the token is wrong; use the one given to mldb ui (--token or MLDB_TOKEN)',
      )
    }
    await next()
    if (fromQuery !== undefined && sameToken(fromQuery, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' })
    }
  }
}
