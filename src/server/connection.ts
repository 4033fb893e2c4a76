import type { Context } from 'hono'

/** The parts of Node's socket the server looks at; absent under `app.request()`. */
interface SocketInfo {
  remoteAddress?: string | undefined
  localPort?: number | undefined
}

/** The raw request as @hono/node-server passes it in `c.env`. */
export interface IncomingInfo {
  /** the request target exactly as sent: a path, or an absolute URL */
  url?: string | undefined
  headers: Record<string, string | string[] | undefined>
  socket?: SocketInfo | undefined
}

/**
 * The Node request behind a Hono context, or undefined for `app.request()`
 * (tests) where there is no socket.
 *
 * @example
 * const addr = incoming(c)?.socket?.remoteAddress ?? 'local'
 */
export function incoming(c: Context): IncomingInfo | undefined {
  const env = c.env as { incoming?: IncomingInfo } | undefined
  return env?.incoming
}

/**
 * Who is asking, for per-client limits: the peer's address, or "local" when
 * the app is called without a socket.
 *
 * @example
 * limiter.acquire(clientAddress(c))
 */
export function clientAddress(c: Context): string {
  return incoming(c)?.socket?.remoteAddress ?? 'local'
}
