import type { Hono } from 'hono'
import { invalidParam } from './errors.js'
import { maxResultsOf, viewTypeOf } from './experiments.js'
import { endpoint } from './handler.js'
import { type Getter, matches, parseFilter, parseOrderBy, sortRows } from './search-filter.js'
import type { MlflowBatch, MlflowTracking } from './tracking.js'
import { checkBatch } from './validation.js'
import { entityKey, keyValues, metricOf, offsetOf, optInt, optObjects, optString, optStrings, pageToken, reqString, runIdOf, type WireRun } from './wire.js'

/** A run's values by entity, built once per run per search. */
interface RunIndex {
  metric: Map<string, number>
  param: Map<string, string>
  tag: Map<string, string>
  dataset: Map<string, string>
}

const indexes = new WeakMap<WireRun, RunIndex>()

function indexOf(r: WireRun): RunIndex {
  let ix = indexes.get(r)
  if (!ix) {
    const datasets = new Map<string, string>()
    for (const d of r.inputs.dataset_inputs as { dataset?: Record<string, unknown> }[]) {
      for (const k of ['name', 'digest']) {
        const v = d.dataset?.[k]
        if (typeof v === 'string') datasets.set(k, v)
      }
    }
    ix = {
      metric: new Map(r.data.metrics.map((m) => [m.key, m.value])),
      param: new Map(r.data.params.map((p) => [p.key, p.value])),
      tag: new Map(r.data.tags.map((t) => [t.key, t.value])),
      dataset: datasets,
    }
    indexes.set(r, ix)
  }
  return ix
}

const ATTRIBUTES = new Set(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'lifecycle_stage', 'start_time', 'end_time', 'experiment_id'])

/** What an MLflow identifier names on a run. */
export const runGetter: Getter<WireRun> = (r, entity, key) => {
  if (entity !== 'attribute') return indexOf(r)[entity].get(key)
  const k = key === 'created' || key === 'Created' ? 'start_time' : key === 'run_uuid' ? 'run_id' : key === 'Run name' ? 'run_name' : key
  if (!ATTRIBUTES.has(k)) throw invalidParam('filter', key, `the run attributes are ${[...ATTRIBUTES].join(', ')}`)
  return r.info[k as keyof WireRun['info']]
}

/**
 * MLflow's run endpoints: create, get, update, delete, restore, search,
 * log-metric, log-parameter, set-tag, delete-tag, log-batch, log-inputs,
 * outputs, and metrics/get-history with paging.
 */
export function runEndpoints(app: Hono, backend: MlflowTracking): void {
  endpoint(app, '/runs/create', async (f) => {
    const tags = Object.fromEntries(keyValues(f, 'tags').map((t) => [t.key, t.value]))
    const run = await backend.createRun({
      experimentId: optString(f, 'experiment_id') || '0',
      userId: optString(f, 'user_id'),
      startTime: optInt(f, 'start_time'),
      runName: optString(f, 'run_name'),
      tags,
    })
    return { run }
  })
  endpoint(app, '/runs/get', async (f) => ({ run: await backend.getRun(runIdOf(f)) }))
  endpoint(app, '/runs/update', async (f) => {
    const run = await backend.updateRun(runIdOf(f), { status: optString(f, 'status'), endTime: optInt(f, 'end_time'), runName: optString(f, 'run_name') })
    return { run_info: run.info }
  })
  endpoint(app, '/runs/delete', async (f) => {
    await backend.setRunDeleted(runIdOf(f), true)
    return {}
  })
  endpoint(app, '/runs/restore', async (f) => {
    await backend.setRunDeleted(runIdOf(f), false)
    return {}
  })
  // Each single write is a batch of one, so MLflow's checks (validation.ts) apply alike.
  const log = async (runId: string, b: MlflowBatch) => {
    checkBatch(b)
    await backend.logBatch(runId, b)
    return {}
  }
  endpoint(app, '/runs/log-metric', (f) => log(runIdOf(f), { metrics: [metricOf(f)], params: [], tags: [] }))
  endpoint(app, '/runs/log-parameter', (f) => log(runIdOf(f), { metrics: [], params: [{ key: entityKey(f), value: optString(f, 'value') ?? '' }], tags: [] }))
  endpoint(app, '/runs/set-tag', (f) => log(runIdOf(f), { metrics: [], params: [], tags: [{ key: entityKey(f), value: optString(f, 'value') ?? '' }] }))
  endpoint(app, '/runs/delete-tag', async (f) => {
    await backend.deleteTag(runIdOf(f), reqString(f, 'key'))
    return {}
  })
  endpoint(app, '/runs/log-batch', (f) =>
    log(runIdOf(f), { metrics: optObjects(f, 'metrics').map(metricOf), params: keyValues(f, 'params'), tags: keyValues(f, 'tags') }),
  )
  endpoint(app, '/runs/log-inputs', async (f) => {
    await backend.logInputs(runIdOf(f), optObjects(f, 'datasets'), optObjects(f, 'models'))
    return {}
  })
  endpoint(app, '/runs/outputs', async (f) => {
    await backend.logOutputs(runIdOf(f), optObjects(f, 'models'))
    return {}
  })
  endpoint(app, '/runs/search', async (f) => {
    const max = maxResultsOf(f, 1000, 50000)
    const clauses = parseFilter(optString(f, 'filter'))
    const order = parseOrderBy([...optStrings(f, 'order_by'), 'start_time DESC', 'run_id'])
    const runs = (await backend.searchRuns(optStrings(f, 'experiment_ids'), viewTypeOf(f, 'run_view_type'))).filter((r) => matches(r, clauses, runGetter))
    sortRows(runs, order, runGetter)
    const offset = offsetOf(optString(f, 'page_token'))
    const page = runs.slice(offset, offset + max)
    return { runs: page, ...(offset + max < runs.length ? { next_page_token: pageToken(offset + max) } : {}) }
  })
  endpoint(app, '/metrics/get-history', async (f) => {
    const all = await backend.metricHistory(runIdOf(f), reqString(f, 'metric_key'))
    const max = optInt(f, 'max_results')
    if (max === undefined) return { metrics: all }
    if (max < 1 || max > 25000) throw invalidParam('max_results', max, 'expected 1 to 25000')
    const offset = offsetOf(optString(f, 'page_token'))
    const page = all.slice(offset, offset + max)
    return { metrics: page, ...(offset + max < all.length ? { next_page_token: pageToken(offset + max) } : {}) }
  })
}
