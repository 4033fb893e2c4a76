// The sweep routes (src/server/routes/sweeps.ts), typed for the sweep page.
import type { SweepConfig } from '../../../src/sweep/config'
import type { SweepSummary, TrialInfo } from '../../../src/sweep/sweep'
import { request } from './api'

export type { SweepConfig, SweepSummary, TrialInfo }

/** The sweep read routes. */
export const sweepsApi = {
  list: () => request<{ sweeps: SweepSummary[] }>('/api/sweeps'),
  one: (name: string) => request<{ sweep: SweepSummary; config: SweepConfig; trials: TrialInfo[] }>(`/api/sweeps/${encodeURIComponent(name)}`),
}
