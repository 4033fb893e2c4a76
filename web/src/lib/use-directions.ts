// Which way each series is optimised (min for loss-like, max for accuracy-like,
// or as the config file says), asked of the server so the dashboard follows the
// same rule as the CLI and the API instead of keeping its own copy.
import { useEffect, useState } from 'react'
import { api } from './api'

/** The way a series gets better. */
export type Direction = 'min' | 'max'

/** Answers already known: a series' direction does not change while the page is open. */
const known = new Map<string, Direction>()

/** The directions known for these keys, from the cache. */
function pick(keys: readonly string[]): Record<string, Direction> {
  const out: Record<string, Direction> = {}
  for (const k of keys) {
    const d = known.get(k)
    if (d) out[k] = d
  }
  return out
}

/**
 * The direction of each series key; a key is missing until the server has
 * answered (callers show a neutral label meanwhile).
 *
 * @example const dirs = useDirections(['valid/acc']) // { 'valid/acc': 'max' } once loaded
 */
export function useDirections(keys: readonly string[]): Record<string, Direction> {
  const key = keys.join('\n')
  const [dirs, setDirs] = useState<Record<string, Direction>>(() => pick(keys))
  // biome-ignore lint/correctness/useExhaustiveDependencies: keys are read through their joined key
  useEffect(() => {
    const missing = keys.filter((k) => !known.has(k))
    if (missing.length === 0) {
      setDirs(pick(keys))
      return
    }
    let cancelled = false
    api
      .directions(missing)
      .then((r) => {
        for (const [k, d] of Object.entries(r.directions)) known.set(k, d)
        if (!cancelled) setDirs(pick(keys))
      })
      .catch(() => {
        // without an answer the labels stay neutral; the values are still right
      })
    return () => {
      cancelled = true
    }
  }, [key])
  return dirs
}
