// The sweep routes (src/server/routes/sweeps.ts), typed for the sweep page.
import type { SweepConfig } from '../../../src/sweep/config'
import type { SweepSummary, TrialInfo } from '../../../src/sweep/sweep'
import { ApiError, parseJson } from './api'

export type { SweepConfig, SweepSummary, TrialInfo }

async function get<T>(path: string): Promise<T> {
  let res: Response
  try {
    res = await fetch(path)
  } catch (e) {
    throw new ApiError(`cannot reach the mldb server (${(e as Error).message})`, 0, 'network')
  }
  const text = await res.text()
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(message, res.status, 'http')
  }
  return parseJson<T>(text)
}

/** The sweep read routes. */
export const sweepsApi = {
  list: () => get<{ sweeps: SweepSummary[] }>('/api/sweeps'),
  one: (name: string) => get<{ sweep: SweepSummary; config: SweepConfig; trials: TrialInfo[] }>(`/api/sweeps/${encodeURIComponent(name)}`),
}
