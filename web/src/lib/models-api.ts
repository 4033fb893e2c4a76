// The model registry's routes (src/server/routes/models.ts), typed for the Models page.
import type { AliasChange, ModelState, ModelVersion, RegisteredModel } from '../../../src/registry/types'
import { request } from './api'

export type { AliasChange, ModelState, RegisteredModel }

/** A version with how its file looks now (missing/changed marks). */
export type ModelVersionView = ModelVersion & { state: ModelState }

/** The registry's read routes. */
export const modelsApi = {
  models: () => request<{ models: RegisteredModel[] }>('/api/models'),
  model: (name: string, verify = false) =>
    request<{ model: RegisteredModel; versions: ModelVersionView[]; history: AliasChange[] }>(
      `/api/models/${encodeURIComponent(name)}${verify ? '?verify=true' : ''}`,
    ),
  ofExperiment: (exp: string) => request<{ versions: ModelVersionView[] }>(`/api/experiments/${encodeURIComponent(exp)}/models`),
}

/** The series a version was most likely chosen on: the first validation series, else the first. */
export function mainMetric(keys: readonly string[]): string | undefined {
  return keys.find((k) => k.startsWith('valid')) ?? keys.find((k) => k.startsWith('val')) ?? keys[0]
}
