import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Store } from '../store/store.js'
import { authMiddleware, bearer, isNavigation, serverPort, tokenCookieName } from './auth.js'
import { errorResponse } from './errors.js'
import { isMlflowReadPath } from './mlflow/read-paths.js'

/**
 * A new access token: 32 random bytes, URL-safe base64, with a prefix that
 * tells what it is when it turns up in a log or a leaked file.
 *
 * @example newAccessToken() // 'mldb_3q2-...'
 */
export function newAccessToken(): string {
  return `mldb_${randomBytes(32).toString('base64url')}`
}

/**
 * The hex sha256 a token is stored as; the token itself is never stored.
 *
 * @example hashToken('mldb_abc') // '5f1c...'
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Who a request is: a named token, and whether it may write. */
export interface Caller {
  name: string
  readOnly: boolean
}

/**
 * Compares the hash of `given` with every known hash in constant time (each
 * compare is timingSafeEqual over 32 bytes, and none stops the loop early), so
 * the time taken does not tell how close a guess was, nor which token matched.
 */
export function matchToken(given: string, known: readonly { name: string; hash: string; readOnly: boolean }[]): Caller | undefined {
  const digest = createHash('sha256').update(given).digest()
  let found: Caller | undefined
  for (const t of known) {
    const stored = Buffer.from(t.hash, 'hex')
    if (stored.length === digest.length && timingSafeEqual(stored, digest) && !found) found = { name: t.name, readOnly: t.readOnly }
  }
  return found
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Options for `tokenAuth`. */
export interface TokenAuthOptions {
  store: Store
  /** the token printed at start (full access); undefined with --no-token */
  startToken?: string | undefined
  /** serve without any token (loopback only; checked by the caller) */
  open?: boolean | undefined
}

/**
 * `mldb server`'s access check. A request carries a token (`Authorization:
 * Bearer`, `?token=`, or the cookie a page load with `?token=` set): the token
 * printed at start, or one made with `mldb token create` (looked up by hash in
 * the store on each request, so a revoke takes effect at once). Wrong or
 * revoked → 401; a read-only token on a write → 403. With `open`, requests
 * without a token are let through under the loopback host check of `mldb ui`.
 *
 * @example app.use('*', tokenAuth({ store, startToken }))
 */
export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler {
  const loopbackOnly = authMiddleware(undefined)
  // the start token never changes: hash it once, not per request
  const start = options.startToken ? { name: '(start token)', hash: hashToken(options.startToken), readOnly: false } : undefined
  return async (c, next) => {
    const cookie = tokenCookieName(serverPort(c))
    const fromQuery = c.req.query('token')
    const given = bearer(c.req.header('authorization')) ?? fromQuery ?? getCookie(c, cookie)
    if (given === undefined && options.open) return loopbackOnly(c, next)
    let caller: Caller | undefined
    if (given !== undefined) {
      // the start token needs no store: a request bearing it costs no database round trip
      caller = (start && matchToken(given, [start])) || matchToken(given, await options.store.tokenHashes())
    }
    if (!caller) {
      c.header('www-authenticate', 'Bearer realm="mldb"')
      return errorResponse(
        c,
        401,
        'unauthorized',
        given === undefined
          ? 'this mldb server needs a token: send "Authorization: Bearer <token>" (mldb token create NAME makes one)'
          : 'the token is wrong or was revoked; make one with mldb token create NAME',
      )
    }
    // MLflow's client searches by POST: its read endpoints write nothing, so a read-only token may POST them
    const mlflowRead = c.req.method === 'POST' && isMlflowReadPath(c.req.path)
    if (caller.readOnly && WRITES.has(c.req.method) && !mlflowRead) {
      return errorResponse(c, 403, 'forbidden', `token "${caller.name}" is read-only; writes need a token made without --read-only`)
    }
    if (fromQuery !== undefined && isNavigation(c)) {
      setCookie(c, cookie, given as string, { httpOnly: true, sameSite: 'Strict', path: '/' })
      const url = new URL(c.req.url)
      url.searchParams.delete('token')
      return c.redirect(`${url.pathname}${url.search}`, 302)
    }
    await next()
  }
}
