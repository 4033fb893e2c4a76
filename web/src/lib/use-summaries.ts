// The summaries of a fixed set of experiments (for charts and compare), live.
import { useEffect, useState } from 'react'
import { api, type ExperimentSummary } from './api'
import { useChanges } from './live'
import { chunkNames } from './use-line-data'

/** A filter string literal: quotes doubled, no escapes (docs/schema.md). */
const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`

/**
 * The named experiments in order, from the listing (one request for a few hundred
 * names, not one each); a name the listing lacks (a typo, the trash) is asked for
 * alone, so its error or its trashed summary shows as before.
 */
async function loadSummaries(names: readonly string[]): Promise<{ exps: ExperimentSummary[]; errors: string[] }> {
  const found = new Map<string, ExperimentSummary>()
  const errors: string[] = []
  try {
    const chunks = chunkNames(names, 200).map((c) => c.map(quote).join(', '))
    const answers = await Promise.all(chunks.map((list) => api.experiments({ where: `name in (${list})`, limit: 50_000 })))
    for (const a of answers) for (const e of a.experiments) found.set(e.name, e)
  } catch {
    // fall back to one request per name below
  }
  const rest = names.filter((n) => !found.has(n))
  const single = await Promise.allSettled(rest.map((n) => api.experiment(n)))
  single.forEach((r, i) => {
    if (r.status === 'fulfilled') found.set(r.value.name, r.value)
    else errors.push(`${rest[i]}: ${(r.reason as Error).message}`)
  })
  const exps: ExperimentSummary[] = []
  for (const n of names) {
    const e = found.get(n)
    if (e) exps.push(e)
  }
  return { exps, errors }
}

/** The named experiments' summaries (missing ones reported in `errors`), kept current. */
export function useSummaries(names: readonly string[]): { exps: ExperimentSummary[]; errors: string[]; loading: boolean } {
  const [state, setState] = useState<{ exps: ExperimentSummary[]; errors: string[]; loading: boolean }>({ exps: [], errors: [], loading: true })
  const key = names.join('\n')
  // biome-ignore lint/correctness/useExhaustiveDependencies: names are read through their key
  useEffect(() => {
    let cancelled = false
    setState((s) => ({ ...s, loading: true }))
    loadSummaries(names).then((r) => {
      if (!cancelled) setState({ ...r, loading: false })
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
