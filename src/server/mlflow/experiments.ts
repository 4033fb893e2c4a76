import type { Hono } from 'hono'
import { invalidParam } from './errors.js'
import { endpoint } from './handler.js'
import { type Getter, matches, parseFilter, parseOrderBy, sortRows } from './search-filter.js'
import type { MlflowTracking, ViewType } from './tracking.js'
import { checkExperimentName, checkExperimentTag } from './validation.js'
import { entityKey, keyValues, offsetOf, optInt, optString, optStrings, pageToken, reqString, type WireExperiment } from './wire.js'

/** `view_type` / `run_view_type` as MLflow sends it (a name or its enum number). */
export function viewTypeOf(f: Record<string, unknown>, name: string): ViewType {
  const v = f[name]
  if (v === undefined || v === null || v === '' || v === 'ACTIVE_ONLY' || v === 1 || v === '1') return 'ACTIVE_ONLY'
  if (v === 'DELETED_ONLY' || v === 2 || v === '2') return 'DELETED_ONLY'
  if (v === 'ALL' || v === 3 || v === '3') return 'ALL'
  throw invalidParam(name, v, 'expected ACTIVE_ONLY, DELETED_ONLY or ALL')
}

/** `max_results` within MLflow's bounds. */
export function maxResultsOf(f: Record<string, unknown>, fallback: number, max: number): number {
  const n = optInt(f, 'max_results') ?? fallback
  if (n < 1 || n > max) throw invalidParam('max_results', n, `expected 1 to ${max}`)
  return n
}

const experimentGetter: Getter<WireExperiment> = (e, entity, key) => {
  if (entity === 'tag') return e.tags.find((t) => t.key === key)?.value
  if (entity !== 'attribute') return undefined
  if (key === 'name' || key === 'experiment_id' || key === 'lifecycle_stage' || key === 'artifact_location') return e[key]
  if (key === 'creation_time' || key === 'last_update_time') return e[key]
  throw invalidParam('filter', key, 'experiments are searched by name, creation_time, last_update_time and tags')
}

/**
 * MLflow's experiment endpoints: create, get, get-by-name, search, list (for
 * old clients), update, delete, restore, set-experiment-tag, delete-experiment-tag.
 */
export function experimentEndpoints(app: Hono, backend: MlflowTracking): void {
  endpoint(app, '/experiments/create', async (f) => {
    const name = reqString(f, 'name')
    checkExperimentName(name)
    const tags = Object.fromEntries(keyValues(f, 'tags').map((t) => [t.key, t.value]))
    for (const [k, v] of Object.entries(tags)) checkExperimentTag(k, v)
    return { experiment_id: await backend.createExperiment(name, optString(f, 'artifact_location') || undefined, tags) }
  })
  endpoint(app, '/experiments/get', async (f) => ({ experiment: await backend.getExperiment(reqString(f, 'experiment_id')) }))
  endpoint(app, '/experiments/get-by-name', async (f) => ({ experiment: await backend.getExperimentByName(reqString(f, 'experiment_name')) }))
  endpoint(app, '/experiments/list', async (f) => ({ experiments: await backend.listExperiments(viewTypeOf(f, 'view_type')) }))
  endpoint(app, '/experiments/search', async (f) => {
    const max = maxResultsOf(f, 1000, 50000)
    const clauses = parseFilter(optString(f, 'filter'))
    const order = parseOrderBy([...optStrings(f, 'order_by'), 'creation_time DESC', 'experiment_id'])
    const all = (await backend.listExperiments(viewTypeOf(f, 'view_type'))).filter((e) => matches(e, clauses, experimentGetter))
    // experiment ids compare as numbers
    const byNumber: Getter<WireExperiment> = (e, entity, key) =>
      entity === 'attribute' && key === 'experiment_id' ? Number(e.experiment_id) : experimentGetter(e, entity, key)
    sortRows(all, order, byNumber)
    const offset = offsetOf(optString(f, 'page_token'))
    const page = all.slice(offset, offset + max)
    return { experiments: page, ...(offset + max < all.length ? { next_page_token: pageToken(offset + max) } : {}) }
  })
  endpoint(app, '/experiments/update', async (f) => {
    await backend.renameExperiment(reqString(f, 'experiment_id'), reqString(f, 'new_name'))
    return {}
  })
  endpoint(app, '/experiments/delete', async (f) => {
    await backend.setExperimentDeleted(reqString(f, 'experiment_id'), true)
    return {}
  })
  endpoint(app, '/experiments/restore', async (f) => {
    await backend.setExperimentDeleted(reqString(f, 'experiment_id'), false)
    return {}
  })
  endpoint(app, '/experiments/set-experiment-tag', async (f) => {
    const [key, value] = [entityKey(f), optString(f, 'value') ?? '']
    checkExperimentTag(key, value)
    await backend.setExperimentTag(reqString(f, 'experiment_id'), key, value)
    return {}
  })
  endpoint(app, '/experiments/delete-experiment-tag', async (f) => {
    await backend.deleteExperimentTag(reqString(f, 'experiment_id'), reqString(f, 'key'))
    return {}
  })
}
