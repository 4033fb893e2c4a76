/**
 * MLflow's model registry on a team server on PostgreSQL: registry-backend.ts's
 * rules over the store's own registry (register, aliases and reads go through
 * PgRegistryStore, so `mldb --server URL model …` sees the same versions) and
 * pg-mlflow-registry.ts for what mldb's registry has no call for.
 */
import { randomUUID } from 'node:crypto'
import { posix } from 'node:path'
import type pg from 'pg'
import { NotFoundError } from '../../errors.js'
import { checkModelName } from '../../registry/names.js'
import { checkDescription, checkTags } from '../../registry/registry.js'
import type { ModelMetric, ModelVersion, RegisteredModel } from '../../registry/types.js'
import { syntheticRunId } from '../../store/mlflow-rows.js'
import * as rows from '../../store/postgres/pg-mlflow.js'
import * as reg from '../../store/postgres/pg-mlflow-registry.js'
import { mapError, type PostgresStore } from '../../store/postgres/pg-store.js'
import type { WriteId } from '../../store/store.js'
import type { FileRecord } from '../../store/types.js'
import { MlflowApiError } from './errors.js'
import {
  badSource,
  inFolder,
  notFound,
  parseVersionSource,
  pick,
  sourceFolder,
  toWireModel,
  toWireVersion,
  type VersionExtras,
  versionNumber,
  type WireModelVersion,
  type WireRegisteredModel,
} from './registry-backend.js'
import type { MlflowModelRegistry, NewModelVersion } from './tracking.js'

/** Who MLflow's client is in the registry's history. */
const BY = 'mlflow client'

/** Each registry write of MLflow's client is its own write id (its client does not send one). */
const writeId = (): WriteId => ({ client: `mlflow-${randomUUID()}`, seq: 1 })

/**
 * MLflow's registry calls over a PostgresStore.
 *
 * @example await new PgMlflowRegistry(store).createRegisteredModel('iris', '', {})
 */
export class PgMlflowRegistry implements MlflowModelRegistry {
  private readonly pool: pg.Pool

  constructor(private readonly store: PostgresStore) {
    this.pool = store.pool
  }

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return rows.pgMlflowTx(this.pool, this.store.location, fn)
  }

  private read<T>(fn: (q: rows.Q) => Promise<T>): Promise<T> {
    return fn(this.pool).catch((e: unknown) => {
      throw mapError(e, this.store.location)
    })
  }

  private async model(name: string): Promise<RegisteredModel> {
    const m = (await this.store.registry.list()).find((x) => x.name === name)
    if (!m) throw notFound(name)
    return m
  }

  /** The model's row locked in a transaction, or RESOURCE_DOES_NOT_EXIST. */
  private async lockedModel(c: pg.PoolClient, name: string): Promise<{ id: number; description: string; tags: string }> {
    const m = await reg.pgModelForUpdate(c, name)
    if (!m) throw notFound(name)
    return m
  }

  private async version(name: string, version: string): Promise<ModelVersion> {
    const n = versionNumber(version)
    await this.model(name)
    try {
      return await this.store.registry.get(`${name}/${n}`)
    } catch (e) {
      if (e instanceof NotFoundError) throw notFound(name, version)
      throw e
    }
  }

  // ------------------------------------------------------------ registered models

  async createRegisteredModel(name: string, description: string, tags: Record<string, string>): Promise<WireRegisteredModel> {
    checkModelName(name)
    const d = checkDescription(description)
    const t = checkTags(tags)
    await this.tx(async (c) => {
      if (!(await reg.pgInsertModel(c, name, d, t, Date.now())))
        throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`)
    })
    return this.getRegisteredModel(name)
  }

  async getRegisteredModel(name: string): Promise<WireRegisteredModel> {
    return this.wireModel(await this.model(name))
  }

  async searchRegisteredModels(): Promise<WireRegisteredModel[]> {
    const out: WireRegisteredModel[] = []
    for (const m of await this.store.registry.list()) out.push(await this.wireModel(m))
    return out
  }

  /** Changes a model's description and tags in one transaction. */
  private async changeModel(name: string, change: (m: { description: string; tags: Record<string, string> }) => void): Promise<void> {
    await this.tx(async (c) => {
      const row = await this.lockedModel(c, name)
      const m = { description: row.description, tags: JSON.parse(row.tags) as Record<string, string> }
      change(m)
      await reg.pgUpdateModel(c, row.id, checkDescription(m.description), JSON.stringify(checkTags(m.tags)), Date.now())
    })
  }

  async updateRegisteredModel(name: string, description: string | undefined): Promise<WireRegisteredModel> {
    await this.changeModel(name, (m) => {
      if (description !== undefined) m.description = description
    })
    return this.getRegisteredModel(name)
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.changeModel(name, (m) => {
      m.tags[key] = value
    })
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.changeModel(name, (m) => {
      delete m.tags[key]
    })
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.tx(async (c) => {
      await this.lockedModel(c, name)
      await reg.pgDeleteModel(c, name)
    })
  }

  async latestVersions(name: string, stages: readonly string[]): Promise<WireModelVersion[]> {
    const m = await this.model(name)
    if (m.latestVersion === null) return []
    if (stages.length > 0 && !stages.some((s) => s.toLowerCase() === 'none')) return []
    return [await this.wireVersion(await this.store.registry.get(`${name}/${m.latestVersion}`))]
  }

  // ------------------------------------------------------------ model versions

  async createModelVersion(v: NewModelVersion): Promise<WireModelVersion> {
    await this.model(v.name)
    const { run, file, modelId } = await this.sourceFile(v.source, v.runId, v.modelId)
    const [summary] = await this.store.listExperiments({ ids: [run.id] })
    if (!summary) throw badSource(v.source)('its run is deleted')
    const metrics: ModelMetric[] = Object.values(summary.series).map((s) => ({
      name: s.name,
      split: s.split,
      count: s.count,
      lastStep: s.lastStep,
      last: s.last,
      min: s.min,
      max: s.max,
    }))
    const { version } = await this.store.registry.register(writeId(), {
      name: v.name,
      evidence: { exp: run.name, path: file.path, sha256: file.sha256 as string, size: file.size, params: summary.params, metrics },
      aliases: [],
      description: checkDescription(v.description),
      by: BY,
    })
    const extras: VersionExtras = { source: v.source, tags: v.tags, ...(modelId ? { model_id: modelId } : {}) }
    await this.tx((c) => reg.pgSetVersionExtras(c, run.id, v.name, version.version, JSON.stringify(extras)))
    return this.wireVersion(version)
  }

  /** The run and the recorded file (with its sha256) a version's source names. */
  private async sourceFile(
    source: string,
    runId: string | undefined,
    modelId: string | undefined,
  ): Promise<{ run: { id: number; name: string }; file: FileRecord; modelId?: string }> {
    const bad = badSource(source)
    const s = parseVersionSource(source, runId, modelId, bad)
    const filesOf = async (name: string) => (await this.store.getExperiment(name)).files.filter((f) => f.sha256 !== null)
    if ('loggedModel' in s) {
      const row = await this.read((q) => rows.pgLoggedModel(q, s.loggedModel))
      if (!row) throw bad(`no logged model ${s.loggedModel} on this server`)
      if (row.experiment_id === null) throw bad(`logged model ${s.loggedModel} has no source run, so no files on this server`)
      const [e] = await this.store.listExperiments({ ids: [row.experiment_id] })
      if (!e) throw bad('its run is deleted')
      const files = (await filesOf(e.name)).filter((f) => f.meta?.mlflowLoggedModel === s.loggedModel)
      return { run: { id: e.id, name: e.name }, file: pick(files, bad), modelId: s.loggedModel }
    }
    const r = await this.read((q) => rows.pgExperimentOfRun(q, s.runId))
    if (!r) throw bad(`run ${s.runId} not found`)
    if (r.deleted_at !== null) throw bad(`run ${s.runId} is deleted`)
    const uri = (await this.read((q) => rows.pgRuns(q, [r.id]))).get(r.id)?.artifact_uri
    if (!uri) throw bad(`run ${s.runId} has no MLflow artifact URI`)
    const dir = sourceFolder(s, uri, bad)
    const files = (await filesOf(r.name)).filter((f) => inFolder(dir, f.meta?.mlflowArtifact))
    return { run: { id: r.id, name: r.name }, file: pick(files, bad) }
  }

  async getModelVersion(name: string, version: string): Promise<WireModelVersion> {
    return this.wireVersion(await this.version(name, version))
  }

  async searchModelVersions(): Promise<WireModelVersion[]> {
    const out: WireModelVersion[] = []
    for (const m of await this.store.registry.list()) {
      for (const v of await this.store.registry.versions(m.name)) out.push(await this.wireVersion(v))
    }
    return out
  }

  async updateModelVersion(name: string, version: string, description: string | undefined): Promise<WireModelVersion> {
    const v = await this.version(name, version)
    if (description !== undefined) {
      const d = checkDescription(description)
      await this.tx(async (c) => reg.pgSetVersionDescription(c, (await this.lockedModel(c, name)).id, v.version, d))
    }
    return this.getModelVersion(name, version)
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    const v = await this.version(name, version)
    await this.tx(async (c) => reg.pgDeleteVersion(c, (await this.lockedModel(c, name)).id, name, v.version, Date.now()))
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string | undefined): Promise<void> {
    const v = await this.version(name, version)
    await this.tx(async (c) => {
      await this.lockedModel(c, name)
      const run = v.expExists ? await reg.pgRunOfName(c, v.exp) : undefined
      if (!run) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `the run of ${name} version ${version} was purged; its version tags cannot change`)
      const extras = await this.extras(c, v)
      if (value === undefined) delete extras.tags[key]
      else extras.tags[key] = value
      await reg.pgSetVersionExtras(c, run.id, name, v.version, JSON.stringify(extras))
    })
  }

  async downloadUri(name: string, version: string): Promise<string> {
    const v = await this.version(name, version)
    const e = await this.read((q) => this.extras(q, v))
    if (e.model_id) {
      const id = e.model_id
      const row = await this.read((q) => rows.pgLoggedModel(q, id))
      if (row) return (JSON.parse(row.body) as { info: { artifact_uri: string } }).info.artifact_uri
    }
    return e.source
  }

  // ------------------------------------------------------------ aliases

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const v = await this.version(name, version)
    await this.store.registry.setAlias(writeId(), name, alias, v.version, BY)
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.model(name)
    try {
      await this.store.registry.setAlias(writeId(), name, alias, null, BY)
    } catch (e) {
      // MLflow deletes a missing alias without complaint
      if (!(e instanceof NotFoundError)) throw e
    }
  }

  async versionByAlias(name: string, alias: string): Promise<WireModelVersion> {
    await this.model(name)
    try {
      return await this.wireVersion(await this.store.registry.get(`${name}@${alias}`))
    } catch (e) {
      if (e instanceof NotFoundError) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Registered model alias ${alias} not found.`)
      throw e
    }
  }

  // ------------------------------------------------------------ wire shapes

  /** A version's MLflow fields: kept ones, else what mldb's version tells (its file's folder). */
  private async extras(q: rows.Q, v: ModelVersion): Promise<VersionExtras> {
    const run = v.expExists ? await reg.pgRunOfName(q, v.exp) : undefined
    const body = run ? await reg.pgVersionExtras(q, run.id, v.name, v.version) : undefined
    if (body) return JSON.parse(body) as VersionExtras
    return { source: `file://${posix.dirname(v.path)}`, tags: {} }
  }

  private async wireVersion(v: ModelVersion): Promise<WireModelVersion> {
    return this.read(async (q) => {
      const run = v.expExists ? await reg.pgRunOfName(q, v.exp) : undefined
      const runId = run ? (run.run_id ?? syntheticRunId(run.id)) : ''
      return toWireVersion(v, await this.extras(q, v), runId)
    })
  }

  private async wireModel(m: RegisteredModel): Promise<WireRegisteredModel> {
    return toWireModel(m, m.latestVersion === null ? undefined : await this.wireVersion(await this.store.registry.get(`${m.name}/${m.latestVersion}`)))
  }
}
