// The model registry in an `mldb export` file: models, versions (with their
// evidence), aliases and alias moves, written after the experiments and files
// they point at (docs/cli.md, "Export format").
import type { AliasChange, ModelMetric, ModelVersion, RegisteredModel } from '../registry/types.js'
import type { Json } from '../store/types.js'
import type { Database } from './database.js'

/** A registered model. */
export interface ModelRecord {
  record: 'model'
  model: string
  description: string
  tags: Record<string, string>
  createdAt: number
  updatedAt: number
}

/** One version and the evidence it keeps; `experiment` is the experiment's name at registration, `path` its file. */
export interface ModelVersionRecord {
  record: 'model_version'
  model: string
  version: number
  experiment: string
  path: string
  sha256: string
  size: number
  params: Record<string, Json>
  metrics: ModelMetric[]
  description: string
  registeredAt: number
  registeredBy: string
}

/** Where an alias points now. */
export interface ModelAliasRecord {
  record: 'model_alias'
  model: string
  alias: string
  version: number
}

/** One move of an alias: `from` null when first set, `to` null when deleted. */
export interface ModelAliasChangeRecord {
  record: 'model_alias_change'
  model: string
  alias: string
  from: number | null
  to: number | null
  time: number
  who: string
}

/** Any registry line of an export. */
export type RegistryRecord = ModelRecord | ModelVersionRecord | ModelAliasRecord | ModelAliasChangeRecord

/** The record kinds above, for readers. */
export const REGISTRY_RECORDS: readonly string[] = ['model', 'model_version', 'model_alias', 'model_alias_change']

/** The whole registry as its API reads it: what the records are made of, from a file or a server's Store. */
export interface RegistryContents {
  models: readonly RegisteredModel[]
  /** every version of every model */
  versions: readonly ModelVersion[]
  /** the alias moves of each model, oldest first */
  history: ReadonlyMap<string, readonly AliasChange[]>
}

/**
 * The registry records of an export, read through the registry's API. With
 * `experiments` (a filtered export) only the versions registered from those
 * experiments, their models, and the aliases and moves of those versions;
 * without, the whole registry (versions of purged experiments included: the
 * import keeps their evidence).
 *
 * @example [...registryRecords(db)].filter((r) => r.record === 'model_version').length
 */
export function* registryRecords(db: Database, experiments?: ReadonlySet<string>): Generator<RegistryRecord> {
  const models = db.listModels()
  const history = new Map(models.map((m) => [m.name, db.getModelHistory(m.name)]))
  yield* registryRecordsOf({ models, versions: db.listModelVersions(), history }, experiments)
}

/**
 * The records of registryRecords from contents already read, so that a team
 * server's export (src/server/routes/cli-read.ts, over an async Store) writes
 * the same lines by the same rule.
 *
 * @example yield* registryRecordsOf({ models, versions, history }, filtered ? names : undefined)
 */
export function* registryRecordsOf(reg: RegistryContents, experiments?: ReadonlySet<string>): Generator<RegistryRecord> {
  const versions = reg.versions.filter((v) => experiments === undefined || experiments.has(v.exp))
  const kept = new Set(versions.map((v) => `${v.name}\u0000${v.version}`))
  const has = (model: string, v: number | null) => v !== null && kept.has(`${model}\u0000${v}`)
  const models = reg.models.filter((m) => experiments === undefined || versions.some((v) => v.name === m.name))
  for (const m of models) {
    yield { record: 'model', model: m.name, description: m.description, tags: m.tags, createdAt: m.createdAt, updatedAt: m.updatedAt }
  }
  for (const v of versions) {
    yield {
      record: 'model_version',
      model: v.name,
      version: v.version,
      experiment: v.exp,
      path: v.path,
      sha256: v.sha256,
      size: v.size,
      params: v.params,
      metrics: Object.values(v.metrics),
      description: v.description,
      registeredAt: v.registeredAt,
      registeredBy: v.registeredBy,
    }
  }
  for (const m of models) {
    for (const h of reg.history.get(m.name) ?? []) {
      if (experiments !== undefined && !has(m.name, h.to ?? h.from)) continue
      yield { record: 'model_alias_change', model: m.name, alias: h.alias, from: h.from, to: h.to, time: h.time, who: h.who }
    }
    for (const [alias, version] of Object.entries(m.aliases)) {
      if (experiments === undefined || has(m.name, version)) yield { record: 'model_alias', model: m.name, alias, version }
    }
  }
}
