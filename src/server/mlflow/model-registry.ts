import type { Hono } from 'hono'
import { maxResultsOf } from './experiments.js'
import { endpoint } from './handler.js'
import type { WireModelVersion, WireRegisteredModel } from './registry-backend.js'
import { type Getter, matches, parseFilter, parseOrderBy, sortRows } from './search-filter.js'
import type { MlflowModelRegistry } from './tracking.js'
import { entityKey, keyValues, offsetOf, optString, optStrings, pageToken, reqString } from './wire.js'

const modelGetter: Getter<WireRegisteredModel> = (m, entity, key) => {
  if (entity === 'tag') return m.tags.find((t) => t.key === key)?.value
  if (key === 'name') return m.name
  if (key === 'creation_timestamp' || key === 'last_updated_timestamp') return m[key]
  return undefined
}

const versionGetter: Getter<WireModelVersion> = (v, entity, key) => {
  if (entity === 'tag') return v.tags.find((t) => t.key === key)?.value
  if (key === 'version_number') return Number(v.version)
  if (key === 'name' || key === 'run_id' || key === 'source' || key === 'source_path') return key === 'source_path' ? v.source : v[key]
  if (key === 'creation_timestamp' || key === 'last_updated_timestamp') return v[key]
  return undefined
}

/** Filters, orders and pages a search as MLflow's registry does. */
function page<Row>(f: Record<string, unknown>, rows: Row[], get: Getter<Row>, order: string[], fallback: number, max: number) {
  const n = maxResultsOf(f, fallback, max)
  const clauses = parseFilter(optString(f, 'filter'))
  // MLflow's client adds tag.`mlflow.prompt.is_prompt` != 'true' to hide prompts: a
  // missing tag passes a tag's !=, as in MLflow's registry store.
  const absentOk = clauses.filter((c) => c.entity === 'tag' && c.op === '!=')
  const rest = clauses.filter((c) => !absentOk.includes(c))
  const hits = rows.filter((r) => matches(r, rest, get) && absentOk.every((c) => get(r, 'tag', c.key) !== c.value))
  sortRows(hits, parseOrderBy([...optStrings(f, 'order_by'), ...order]), get)
  const offset = offsetOf(optString(f, 'page_token'))
  return { rows: hits.slice(offset, offset + n), next: offset + n < hits.length ? pageToken(offset + n) : undefined }
}

/** `version` as MLflow sends it (a string, or a number from other clients). */
const versionOf = (f: Record<string, unknown>): string => {
  const v = f.version
  return typeof v === 'number' ? String(v) : reqString(f, 'version')
}

const tagsOf = (f: Record<string, unknown>) => Object.fromEntries(keyValues(f, 'tags').map((t) => [t.key, t.value]))

/**
 * MLflow's model registry endpoints (model_registry.proto) over mldb's
 * registry: registered-models create, get, search, update, delete, set-tag,
 * delete-tag, get-latest-versions, alias (set, delete, get); model-versions
 * create, get, search, update, delete, set-tag, delete-tag, get-download-uri.
 */
export function modelRegistryEndpoints(app: Hono, reg: MlflowModelRegistry): void {
  endpoint(app, '/registered-models/create', async (f) => ({
    registered_model: await reg.createRegisteredModel(reqString(f, 'name'), optString(f, 'description') ?? '', tagsOf(f)),
  }))
  endpoint(app, '/registered-models/get', async (f) => ({ registered_model: await reg.getRegisteredModel(reqString(f, 'name')) }))
  endpoint(app, '/registered-models/search', async (f) => {
    const { rows, next } = page(f, await reg.searchRegisteredModels(), modelGetter, ['name ASC'], 100, 1000)
    return { registered_models: rows, ...(next ? { next_page_token: next } : {}) }
  })
  endpoint(
    app,
    '/registered-models/update',
    async (f) => ({ registered_model: await reg.updateRegisteredModel(reqString(f, 'name'), optString(f, 'description')) }),
    ['PATCH'],
  )
  endpoint(
    app,
    '/registered-models/delete',
    async (f) => {
      await reg.deleteRegisteredModel(reqString(f, 'name'))
      return {}
    },
    ['DELETE'],
  )
  endpoint(app, '/registered-models/set-tag', async (f) => {
    await reg.setRegisteredModelTag(reqString(f, 'name'), entityKey(f), optString(f, 'value') ?? '')
    return {}
  })
  endpoint(
    app,
    '/registered-models/delete-tag',
    async (f) => {
      await reg.deleteRegisteredModelTag(reqString(f, 'name'), reqString(f, 'key'))
      return {}
    },
    ['DELETE'],
  )
  endpoint(app, '/registered-models/get-latest-versions', async (f) => ({
    model_versions: await reg.latestVersions(reqString(f, 'name'), optStrings(f, 'stages')),
  }))
  endpoint(
    app,
    '/registered-models/alias',
    async (f) => {
      await reg.setAlias(reqString(f, 'name'), reqString(f, 'alias'), versionOf(f))
      return {}
    },
    ['POST'],
  )
  endpoint(
    app,
    '/registered-models/alias',
    async (f) => {
      await reg.deleteAlias(reqString(f, 'name'), reqString(f, 'alias'))
      return {}
    },
    ['DELETE'],
  )
  endpoint(app, '/registered-models/alias', async (f) => ({ model_version: await reg.versionByAlias(reqString(f, 'name'), reqString(f, 'alias')) }), ['GET'])

  endpoint(app, '/model-versions/create', async (f) => ({
    model_version: await reg.createModelVersion({
      name: reqString(f, 'name'),
      source: reqString(f, 'source'),
      runId: optString(f, 'run_id') || undefined,
      modelId: optString(f, 'model_id') || undefined,
      description: optString(f, 'description') ?? '',
      tags: tagsOf(f),
    }),
  }))
  endpoint(app, '/model-versions/get', async (f) => ({ model_version: await reg.getModelVersion(reqString(f, 'name'), versionOf(f)) }))
  endpoint(app, '/model-versions/search', async (f) => {
    const { rows, next } = page(f, await reg.searchModelVersions(), versionGetter, ['name ASC', 'version_number DESC'], 10000, 200000)
    return { model_versions: rows, ...(next ? { next_page_token: next } : {}) }
  })
  endpoint(
    app,
    '/model-versions/update',
    async (f) => ({ model_version: await reg.updateModelVersion(reqString(f, 'name'), versionOf(f), optString(f, 'description')) }),
    ['PATCH'],
  )
  endpoint(
    app,
    '/model-versions/delete',
    async (f) => {
      await reg.deleteModelVersion(reqString(f, 'name'), versionOf(f))
      return {}
    },
    ['DELETE'],
  )
  endpoint(app, '/model-versions/set-tag', async (f) => {
    await reg.setModelVersionTag(reqString(f, 'name'), versionOf(f), entityKey(f), optString(f, 'value') ?? '')
    return {}
  })
  endpoint(
    app,
    '/model-versions/delete-tag',
    async (f) => {
      await reg.setModelVersionTag(reqString(f, 'name'), versionOf(f), reqString(f, 'key'), undefined)
      return {}
    },
    ['DELETE'],
  )
  endpoint(app, '/model-versions/get-download-uri', async (f) => ({ artifact_uri: await reg.downloadUri(reqString(f, 'name'), versionOf(f)) }))
}
