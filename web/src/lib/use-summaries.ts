// The summaries of a fixed set of experiments (for charts and compare), live.
import { useEffect, useState } from 'react'
import { api, type ExperimentSummary } from './api'
import { useChanges } from './live'

/** The named experiments' summaries (missing ones reported in `errors`), kept current. */
export function useSummaries(names: readonly string[]): { exps: ExperimentSummary[]; errors: string[]; loading: boolean } {
  const [state, setState] = useState<{ exps: ExperimentSummary[]; errors: string[]; loading: boolean }>({ exps: [], errors: [], loading: true })
  const key = names.join('\n')
  // biome-ignore lint/correctness/useExhaustiveDependencies: names are read through their key
  useEffect(() => {
    let cancelled = false
    setState((s) => ({ ...s, loading: true }))
    Promise.allSettled(names.map((n) => api.experiment(n))).then((results) => {
      if (cancelled) return
      const exps: ExperimentSummary[] = []
      const errors: string[] = []
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') exps.push(r.value)
        else errors.push(`${names[i]}: ${(r.reason as Error).message}`)
      })
      setState({ exps, errors, loading: false })
    })
    return () => {
      cancelled = true
    }
  }, [key])
  useChanges((changed) => {
    const byName = new Map(changed.map((c) => [c.name, c]))
    if (!names.some((n) => byName.has(n))) return
    setState((s) => ({ ...s, exps: s.exps.map((e) => byName.get(e.name) ?? e) }))
  })
  return state
}
