// Hash routing: `#/path?query`. Everything a view shows is in the query, so a
// copied URL opens the same view.
import { useSyncExternalStore } from 'react'

/** The current route: path segments and query parameters. */
export interface Route {
  path: string
  query: URLSearchParams
}

function parse(hash: string): Route {
  const h = hash.replace(/^#/, '') || '/'
  const qi = h.indexOf('?')
  const path = qi < 0 ? h : h.slice(0, qi)
  return { path: path || '/', query: new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1)) }
}

let cached: { hash: string; route: Route } | undefined
function snapshot(): Route {
  const hash = window.location.hash
  if (!cached || cached.hash !== hash) cached = { hash, route: parse(hash) }
  return cached.route
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb)
  window.addEventListener('mldb:route', cb)
  return () => {
    window.removeEventListener('hashchange', cb)
    window.removeEventListener('mldb:route', cb)
  }
}

/** The route, re-rendering when it changes. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot)
}

/** The href of a route, for links. */
export function href(path: string, query: QueryInit | URLSearchParams = {}): string {
  const q = query instanceof URLSearchParams ? query : toParams(query)
  const text = q.toString()
  return `#${path}${text ? `?${text}` : ''}`
}

/** Goes to a route (a history entry). */
export function navigate(path: string, query: QueryInit = {}): void {
  window.location.hash = href(path, query)
}

/**
 * Changes some query parameters of the current route in place (no history
 * entry): typing in a filter box should not fill the back button.
 */
export function setQuery(updates: QueryInit): void {
  const r = snapshot()
  const q = new URLSearchParams(r.query)
  for (const [k, v] of Object.entries(updates)) {
    q.delete(k)
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null && item !== '') q.append(k, item)
  }
  window.history.replaceState(null, '', href(r.path, q))
  window.dispatchEvent(new Event('mldb:route'))
}

/** Query values: a list repeats the key (names may hold commas). */
export type QueryInit = Record<string, string | string[] | undefined | null>

function toParams(query: QueryInit): URLSearchParams {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query))
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null && item !== '') q.append(k, item)
  return q
}
