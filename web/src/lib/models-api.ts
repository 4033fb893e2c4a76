// The model registry's routes (src/server/routes/models.ts), typed for the Models page.
import type { AliasChange, ModelState, ModelVersion, RegisteredModel } from '../../../src/registry/types'
import { ApiError, parseJson } from './api'

export type { AliasChange, ModelState, RegisteredModel }

/** A version with how its file looks now (missing/changed marks). */
export type ModelVersionView = ModelVersion & { state: ModelState }

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

/** The registry's read routes. */
export const modelsApi = {
  models: () => get<{ models: RegisteredModel[] }>('/api/models'),
  model: (name: string, verify = false) =>
    get<{ model: RegisteredModel; versions: ModelVersionView[]; history: AliasChange[] }>(
      `/api/models/${encodeURIComponent(name)}${verify ? '?verify=true' : ''}`,
    ),
  ofExperiment: (exp: string) => get<{ versions: ModelVersionView[] }>(`/api/experiments/${encodeURIComponent(exp)}/models`),
}

/** The series a version was most likely chosen on: the first validation series, else the first. */
export function mainMetric(keys: readonly string[]): string | undefined {
  return keys.find((k) => k.startsWith('valid')) ?? keys.find((k) => k.startsWith('val')) ?? keys[0]
}
