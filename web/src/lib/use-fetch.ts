// The load-then-show state every page that reads one route keeps: the answer,
// or the error's message, reloaded when its dependencies change (and every
// refreshMs while mounted, for a page that watches something converge).
import { type DependencyList, useEffect, useState } from 'react'

/**
 * Runs `load` on mount and whenever `deps` change; `data` is undefined until the
 * first answer, `error` the last failure's message ('' after a new start).
 * An answer that arrives after unmount or a newer start is dropped.
 *
 * @example
 *   const { data, error } = useFetch(() => sweepsApi.one(name), [name], 5000)
 *   if (error) return <div className="error-text">{error}</div>
 *   if (!data) return <div className="muted">loading…</div>
 */
export function useFetch<T>(load: () => Promise<T>, deps: DependencyList, refreshMs?: number): { data: T | undefined; error: string } {
  const [data, setData] = useState<T | undefined>()
  const [error, setError] = useState('')
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on
  useEffect(() => {
    let live = true
    setError('')
    const run = () =>
      load().then(
        (d) => live && setData(() => d),
        (e: Error) => live && setError(e.message),
      )
    run()
    const timer = refreshMs ? setInterval(run, refreshMs) : undefined
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [...deps, refreshMs])
  return { data, error }
}
