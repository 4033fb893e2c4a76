import type { Hono } from 'hono'
import { invalidParam } from './errors.js'
import { maxResultsOf } from './experiments.js'
import { endpoint } from './handler.js'
import { type Getter, matches, parseFilter } from './search-filter.js'
import type { MlflowTracking } from './tracking.js'
import { keyValues, offsetOf, optString, optStrings, pageToken, reqString, type WireLoggedModel } from './wire.js'

const STATUS: Record<string, string> = {
  '1': 'LOGGED_MODEL_PENDING',
  '2': 'LOGGED_MODEL_READY',
  '3': 'LOGGED_MODEL_UPLOAD_FAILED',
  LOGGED_MODEL_PENDING: 'LOGGED_MODEL_PENDING',
  LOGGED_MODEL_READY: 'LOGGED_MODEL_READY',
  LOGGED_MODEL_UPLOAD_FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
}

const modelGetter: Getter<WireLoggedModel> = (m, entity, key) => {
  if (entity === 'tag') return m.info.tags.find((t) => t.key === key)?.value
  if (entity === 'param') return m.data.params.find((t) => t.key === key)?.value
  if (entity === 'metric') return m.data.metrics.find((t) => t.key === key)?.value
  if (entity !== 'attribute') return undefined
  const k = key === 'creation_time' ? 'creation_timestamp_ms' : key === 'last_updated_timestamp' ? 'last_updated_timestamp_ms' : key
  const v = (m.info as unknown as Record<string, unknown>)[k]
  return typeof v === 'string' || typeof v === 'number' ? v : undefined
}

/** The model id of a path like /logged-models/:model_id, checked against a body's own `model_id`. */
const idOf = (f: Record<string, unknown>, param: string | undefined) => param ?? reqString(f, 'model_id')

/**
 * MLflow 3's logged models (`mlflow.<flavor>.log_model`): create, get,
 * finalize, delete, search, tags, params. The model's files go through the
 * artifact proxy and become model files of its source run.
 */
export function loggedModelEndpoints(app: Hono, backend: MlflowTracking): void {
  endpoint(app, '/logged-models/search', async (f) => {
    const max = maxResultsOf(f, 100, 10000)
    const clauses = parseFilter(optString(f, 'filter'))
    const all = (await backend.searchLoggedModels(optStrings(f, 'experiment_ids'))).filter((m) => matches(m, clauses, modelGetter))
    const offset = offsetOf(optString(f, 'page_token'))
    return { models: all.slice(offset, offset + max), ...(offset + max < all.length ? { next_page_token: pageToken(offset + max) } : {}) }
  })
  endpoint(
    app,
    '/logged-models',
    async (f) => ({
      model: await backend.createLoggedModel({
        experimentId: reqString(f, 'experiment_id'),
        name: optString(f, 'name'),
        modelType: optString(f, 'model_type'),
        sourceRunId: optString(f, 'source_run_id') || undefined,
        params: keyValues(f, 'params'),
        tags: keyValues(f, 'tags'),
      }),
    }),
    ['POST'],
  )
  endpoint(app, '/logged-models/:model_id', async (f, c) => ({ model: await backend.getLoggedModel(idOf(f, c.req.param('model_id'))) }), ['GET'])
  endpoint(
    app,
    '/logged-models/:model_id',
    async (f, c) => {
      const status = STATUS[String(f.status ?? '')]
      if (!status) throw invalidParam('status', f.status, 'expected LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED')
      return {
        model: await backend.updateLoggedModel(idOf(f, c.req.param('model_id')), (m) => {
          m.info.status = status
        }),
      }
    },
    ['PATCH'],
  )
  endpoint(
    app,
    '/logged-models/:model_id',
    async (f, c) => {
      await backend.deleteLoggedModel(idOf(f, c.req.param('model_id')))
      return {}
    },
    ['DELETE'],
  )
  endpoint(
    app,
    '/logged-models/:model_id/tags',
    async (f, c) => {
      const tags = keyValues(f, 'tags')
      await backend.updateLoggedModel(idOf(f, c.req.param('model_id')), (m) => {
        m.info.tags = [...m.info.tags.filter((t) => !tags.some((n) => n.key === t.key)), ...tags]
      })
      return {}
    },
    ['PATCH'],
  )
  endpoint(
    app,
    '/logged-models/:model_id/tags/:tag_key',
    async (f, c) => {
      const key = c.req.param('tag_key')
      await backend.updateLoggedModel(idOf(f, c.req.param('model_id')), (m) => {
        m.info.tags = m.info.tags.filter((t) => t.key !== key)
      })
      return {}
    },
    ['DELETE'],
  )
  endpoint(
    app,
    '/logged-models/:model_id/params',
    async (f, c) => {
      const params = keyValues(f, 'params')
      await backend.updateLoggedModel(idOf(f, c.req.param('model_id')), (m) => {
        m.data.params = [...m.data.params.filter((t) => !params.some((n) => n.key === t.key)), ...params]
      })
      return {}
    },
    ['POST'],
  )
}
