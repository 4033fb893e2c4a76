import { networkInterfaces } from 'node:os'

/**
 * The addresses a browser can use to reach a server bound to `host`: for the
 * wildcard addresses (0.0.0.0, ::) every address of this machine, the ones
 * other machines can reach first and loopback last; otherwise `host` itself.
 *
 * @example reachableHosts('0.0.0.0') // ['192.168.1.20', '127.0.0.1']
 */
export function reachableHosts(host: string): string[] {
  const wildcard4 = host === '0.0.0.0'
  const wildcard6 = host === '::' || host === '[::]'
  if (!wildcard4 && !wildcard6) return [host]
  const outside: string[] = []
  const loopback: string[] = []
  for (const entries of Object.values(networkInterfaces())) {
    for (const e of entries ?? []) {
      // a link-local IPv6 address needs a zone id that browsers do not accept in URLs
      if (e.family === 'IPv6' && (!wildcard6 || e.address.toLowerCase().startsWith('fe80:'))) continue
      ;(e.internal ? loopback : outside).push(e.address)
    }
  }
  const all = [...outside, ...loopback]
  return all.length ? all : [wildcard6 ? '::1' : '127.0.0.1']
}
