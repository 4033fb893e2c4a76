// The table's first request, started by an inline script in web/index.html
// before the bundle has loaded: parsing the bundle and the first render take
// a few hundred ms that the 10,000-row listing no longer waits for. The script
// builds the same paths the app asks for (api.ts `q`, use-experiments LIMIT);
// an answer whose path the app never asks for is simply not used.

/** An answer read to text, as the inline script keeps it. */
export interface EarlyAnswer {
  ok: boolean
  status: number
  statusText: string
  text: string
}

declare global {
  interface Window {
    /** path → the answer the inline script of index.html started for it */
    __mldbEarly?: Record<string, Promise<EarlyAnswer>>
  }
}

// once the user leaves the first view, its early answers are no longer current
if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (window.__mldbEarly = undefined), { once: true })

/**
 * The answer started early for `path`, handed out once (undefined when none).
 *
 * @example const early = takeEarly('/api/experiments?limit=50000')
 */
export function takeEarly(path: string): Promise<EarlyAnswer> | undefined {
  const all = window.__mldbEarly
  const answer = all?.[path]
  if (all && answer) delete all[path]
  return answer
}
