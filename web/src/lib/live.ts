// Live updates: one poller for the whole page asks the server every second
// what changed since the last answer, and hands the changed experiments to
// whoever listens (the table updates rows, charts fetch new points).
import { useEffect, useRef } from 'react'
import { api, type ExperimentSummary } from './api'

type Listener = (changed: ExperimentSummary[], trashed: string[]) => void

const listeners = new Set<Listener>()
let timer: ReturnType<typeof setTimeout> | undefined
let since: number | undefined
let inFlight = false

const POLL_MS = 1000

async function poll(): Promise<void> {
  timer = undefined
  inFlight = true
  try {
    // Start a little in the past so a change made while the page loaded is not missed.
    const res = await api.changes(since ?? Date.now() - 5000)
    since = res.now
    const trashed = res.trashed ?? []
    if (res.experiments.length > 0 || trashed.length > 0) for (const l of [...listeners]) l(res.experiments, trashed)
  } catch {
    // The server may be restarting; try again on the next tick.
  }
  inFlight = false
  if (listeners.size > 0) timer = setTimeout(poll, POLL_MS)
}

/** Calls `listener` with every batch of changed experiments while subscribed. */
export function subscribeChanges(listener: Listener): () => void {
  listeners.add(listener)
  if (timer === undefined && !inFlight) timer = setTimeout(poll, 0)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
  }
}

/** Subscribes a component to live changes; the latest callback is always the one called. */
export function useChanges(listener: Listener): void {
  const ref = useRef(listener)
  ref.current = listener
  useEffect(() => subscribeChanges((c, t) => ref.current(c, t)), [])
}
