import type { Context } from 'hono'
import { incoming } from './connection.js'

/** The host name of a Host header value ("127.0.0.1:5757", "[::1]:80"), or undefined if it is not one. */
export function hostName(value: string): string | undefined {
  try {
    const url = new URL(`http://${value}/`)
    // "a@b", "a/b" or "a?b" parse, but a Host header naming a user or a path is not a host
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined
    return url.hostname
  } catch {
    return undefined
  }
}

/**
 * Every host name a request names: its Host header and, when the request line
 * is an absolute URL (`GET http://host/path`), that URL's host too. Undefined
 * when there is no Host header: Node would otherwise fill in the bound address
 * and let the request pass any Host check unseen. Under `app.request()` (no
 * socket) the URL's host stands in for the header.
 *
 * @example
 * const hosts = requestHosts(c) // ['127.0.0.1']
 */
export function requestHosts(c: Context): string[] | undefined {
  const raw = incoming(c)
  if (!raw) {
    const header = c.req.header('host')
    const name = header === undefined ? new URL(c.req.url).hostname : hostName(header)
    return [name ?? header ?? '']
  }
  const header = raw.headers.host
  if (typeof header !== 'string' || header === '') return undefined
  const hosts = [hostName(header) ?? header]
  const target = raw.url ?? ''
  if (!target.startsWith('/')) {
    try {
      hosts.push(new URL(target).hostname)
    } catch {
      hosts.push(target)
    }
  }
  return hosts
}
