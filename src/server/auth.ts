import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { incoming } from './connection.js'
import { errorResponse } from './errors.js'
import { requestHosts } from './host-check.js'

/** The prefix of the cookie that carries the token after a page load with `?token=`. */
export const TOKEN_COOKIE = 'mldb_token'

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** Whether a host name or address only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOCAL_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * The port the request came in on: the socket's, else the URL's. Browsers send
 * a host's cookies to every port on it, so the cookie's name carries the port:
 * two dashboards on one machine then keep their own tokens.
 */
export function serverPort(c: Context): string {
  const local = incoming(c)?.socket?.localPort
  if (local !== undefined) return String(local)
  const url = new URL(c.req.url)
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

/**
 * The token cookie's name for a port.
 *
 * @example tokenCookieName(5757) // 'mldb_token_5757'
 */
export function tokenCookieName(port: number | string): string {
  return `${TOKEN_COOKIE}_${port}`
}

// Hashing first gives equal lengths, which timingSafeEqual requires.
const digest = (s: string) => createHash('sha256').update(s).digest()
const sameToken = (given: string, token: string) => timingSafeEqual(digest(given), digest(token))

/** The token of an `Authorization: Bearer` header. */
export function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(.+)$/i)
  return m?.[1]?.trim()
}

/** A page load (not a fetch of the API): it may be redirected and shown HTML. */
export const isNavigation = (c: Context) => (c.req.method === 'GET' || c.req.method === 'HEAD') && !/^\/api(\/|$)/.test(c.req.path)

const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>mldb: token needed</title>
<body style="font:16px system-ui;margin:3em"><h1>This mldb dashboard needs its token</h1>
<p>Open the URL that <code>mldb ui</code> printed when it started (it ends in <code>?token=…</code>).
A token given once is kept in a cookie for this port.</p></body>`

/**
 * With a token: every request must carry it as `Authorization: Bearer`, as
 * `?token=` or in the `mldb_token_<port>` cookie. A page loaded with a valid
 * `?token=` gets the cookie (HttpOnly, SameSite=Strict) and is redirected to
 * the same URL without it, so the token stays out of history and the address
 * bar; the page's fetches and images then carry the cookie.
 *
 * Without a token the server is bound to loopback, and every host a request
 * names (its Host header, an absolute request line) must be a loopback name:
 * a web page cannot then read the API through DNS rebinding.
 *
 * @example app.use('*', authMiddleware(token))
 */
export function authMiddleware(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) {
      const hosts = requestHosts(c)
      const bad = hosts === undefined ? 'no Host header' : hosts.find((h) => !isLoopbackHost(h))
      if (hosts === undefined || bad !== undefined) {
        const what = hosts === undefined ? 'requests without a Host header are' : `requests for host "${bad}" are`
        return errorResponse(c, 403, 'forbidden', `${what} refused without a token; use http://127.0.0.1 or start mldb ui with a token`)
      }
      return next()
    }
    const cookie = tokenCookieName(serverPort(c))
    const fromQuery = c.req.query('token')
    const given = bearer(c.req.header('authorization')) ?? fromQuery ?? getCookie(c, cookie)
    if (given === undefined || !sameToken(given, token)) {
      c.header('www-authenticate', 'Bearer realm="mldb"')
      if (isNavigation(c) && (c.req.header('accept') ?? '').includes('text/html')) return c.html(LOGIN_PAGE, 401)
      return errorResponse(
        c,
        401,
        'unauthorized',
        given === undefined
          ? 'this mldb ui needs its token: open the URL it printed (with ?token=) or send "Authorization: Bearer <token>"'
          : 'the token is wrong; use the one mldb ui printed (or gave with --token / MLDB_TOKEN)',
      )
    }
    if (fromQuery !== undefined && isNavigation(c)) {
      setCookie(c, cookie, token, { httpOnly: true, sameSite: 'Strict', path: '/' })
      const url = new URL(c.req.url)
      url.searchParams.delete('token')
      return c.redirect(`${url.pathname}${url.search}`, 302)
    }
    await next()
  }
}
