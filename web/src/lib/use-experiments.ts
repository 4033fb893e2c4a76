// The table's data: every experiment the filter matches, kept current by the
// live poller (changed rows are replaced in place, never the whole list).
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, api, type ExperimentSummary } from './api'
import { useChanges } from './live'

/** What the table shows and whether it is loading or failed. */
export interface ExperimentsState {
  experiments: ExperimentSummary[]
  total: number
  loading: boolean
  error: ApiError | undefined
}

// One request returns everything: the table is virtualised, and sorting and
// grouping 10,000 rows on the client is faster than a round trip per click.
const LIMIT = 50_000

/** The experiments matching `where` (and `project`), live; nothing is loaded until `enabled`. */
export function useExperiments(where: string, project: string, enabled = true): ExperimentsState {
  const [state, setState] = useState<ExperimentsState>({ experiments: [], total: 0, loading: true, error: undefined })
  const generation = useRef(0)
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  const load = useCallback(async () => {
    if (!enabled) return
    const gen = ++generation.current
    setState((s) => ({ ...s, loading: true }))
    try {
      const res = await api.experiments({ where: where || undefined, project: project || undefined, limit: LIMIT })
      if (gen === generation.current) setState({ experiments: res.experiments, total: res.total, loading: false, error: undefined })
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(String(e), 0, 'unknown')
      // keep showing the last good rows under the error
      if (gen === generation.current) setState((s) => ({ ...s, loading: false, error }))
    }
  }, [where, project, enabled])

  useEffect(() => {
    void load()
  }, [load])
  useEffect(() => () => clearTimeout(refetchTimer.current), [])

  const current = useRef(state)
  current.current = state

  useChanges((changed, trashed) => {
    const names = new Set(current.current.experiments.map((e) => e.name))
    const fits = (c: ExperimentSummary) => !where && (!project || c.project === project) && c.deletedAt === null
    const unknown = changed.some((c) => !names.has(c.name) && !fits(c))
    setState((s) => {
      const byName = new Map(changed.map((c) => [c.name, c]))
      const gone = new Set(trashed)
      const next: ExperimentSummary[] = []
      for (const e of s.experiments) {
        if (gone.has(e.name)) continue
        const c = byName.get(e.name)
        byName.delete(e.name)
        if (!c) next.push(e)
        else if (c.deletedAt === null) next.push(c)
      }
      for (const c of byName.values()) if (fits(c)) next.push(c)
      return { ...s, experiments: next, total: s.total + next.length - s.experiments.length }
    })
    // A changed experiment outside the list may now match the filter: ask again, at most every 2 s.
    if (unknown && where && refetchTimer.current === undefined) {
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = undefined
        void load()
      }, 2000)
    }
  })
  return state
}
