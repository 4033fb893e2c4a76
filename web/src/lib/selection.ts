// The experiments picked in the table, kept for the browser tab so that going
// to a chart and back keeps the ticks.
import { useSyncExternalStore } from 'react'

const KEY = 'mldb.selection'
let current: readonly string[] = load()
const listeners = new Set<() => void>()

function load(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Replaces the selection. */
export function setSelection(names: readonly string[]): void {
  current = [...new Set(names)]
  sessionStorage.setItem(KEY, JSON.stringify(current))
  for (const l of listeners) l()
}

/** Adds or removes one experiment. */
export function toggleSelected(name: string): void {
  setSelection(current.includes(name) ? current.filter((n) => n !== name) : [...current, name])
}

/** The selection, re-rendering when it changes. */
export function useSelection(): readonly string[] {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    () => current,
  )
}
