/**
 * MLflow's model registry over mldb's registry: an MLflow registered model is
 * an mldb model, a model version an mldb version pointing at one file record of
 * the source run (the `MLmodel` the client uploaded through the artifact proxy).
 * What mldb's versions have no column for (MLflow's `source`, the version's
 * tags) is kept beside the run's MLflow inputs (mlflow-rows.ts).
 */
import { posix } from 'node:path'
import type { Database } from '../../api/database.js'
import { NotFoundError } from '../../errors.js'
import {
  sourceFolder as folderOf,
  inFolder,
  parseVersionSource as parseSource,
  pickVersionFile,
  type VersionSource,
} from '../../registry/mlflow-version-source.js'
import { checkModelName } from '../../registry/names.js'
import type { ModelVersion, RegisteredModel } from '../../registry/types.js'
import { MlflowRows, syntheticRunId } from '../../store/mlflow-rows.js'
import { RegistryRows } from '../../store/registry-rows.js'
import type { FileRecord } from '../../store/types.js'
import { MlflowApiError } from './errors.js'
import type { MlflowModelRegistry, NewModelVersion } from './tracking.js'
import type { WireKeyValue } from './wire.js'

/** An MLflow ModelVersion (model_registry.proto). */
export interface WireModelVersion {
  name: string
  version: string
  creation_timestamp: number
  last_updated_timestamp: number
  user_id: string
  current_stage: string
  description: string
  source: string
  run_id: string
  status: string
  tags: WireKeyValue[]
  aliases: string[]
  model_id?: string
}

/** An MLflow RegisteredModel. */
export interface WireRegisteredModel {
  name: string
  creation_timestamp: number
  last_updated_timestamp: number
  description: string
  latest_versions: WireModelVersion[]
  tags: WireKeyValue[]
  aliases: { alias: string; version: string }[]
}

/** MLflow's fields of a version that mldb's registry has no column for. */
export interface VersionExtras {
  source: string
  model_id?: string
  tags: Record<string, string>
}

export const notFound = (name: string, version?: string) =>
  new MlflowApiError(
    'RESOURCE_DOES_NOT_EXIST',
    version === undefined ? `Registered Model with name=${name} not found` : `Model Version (name=${name}, version=${version}) not found`,
  )

/** MLflow's version number: a positive integer, as text or a number. */
export function versionNumber(v: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(v)) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Parameter 'version' must be an integer, got '${v}'.`)
  return Number(v)
}

/**
 * The registry calls of MLflow's REST API over an mldb database.
 *
 * @example new MlflowRegistry(db).createModelVersion({ name: 'iris', source: 'models:/m-…', tags: {} })
 */
export class MlflowRegistry implements MlflowModelRegistry {
  private readonly rows: MlflowRows
  private readonly registry: RegistryRows

  constructor(readonly db: Database) {
    this.rows = new MlflowRows(db.sqlite)
    this.registry = new RegistryRows(db.sqlite)
  }

  private tx<T>(fn: () => T): T {
    return this.db.sqlite.transaction(fn).immediate()
  }

  private model(name: string): RegisteredModel {
    const m = this.db.listModels().find((x) => x.name === name)
    if (!m) throw notFound(name)
    return m
  }

  private version(name: string, version: string): ModelVersion {
    const n = versionNumber(version)
    this.model(name)
    try {
      return this.db.getModelVersion(`${name}/${n}`)
    } catch (e) {
      if (e instanceof NotFoundError) throw notFound(name, version)
      throw e
    }
  }

  // ------------------------------------------------------------ registered models

  /** A model without versions yet (mldb's own registration creates it with the first). */
  createRegisteredModel(name: string, description: string, tags: Record<string, string>): WireRegisteredModel {
    // mldb's name rules (letters, digits, . _ -) are narrower than MLflow's: a ValidationError is a 400
    checkModelName(name)
    this.tx(() => {
      if (this.registry.model(name)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`)
      this.registry.insertModel(name, '', '{}', Date.now())
      this.db.updateModel(name, { description, tags })
    })
    return this.getRegisteredModel(name)
  }

  getRegisteredModel(name: string): WireRegisteredModel {
    return this.wireModel(this.model(name))
  }

  searchRegisteredModels(): WireRegisteredModel[] {
    return this.db.listModels().map((m) => this.wireModel(m))
  }

  updateRegisteredModel(name: string, description: string | undefined): WireRegisteredModel {
    this.model(name)
    if (description !== undefined) this.db.updateModel(name, { description })
    return this.getRegisteredModel(name)
  }

  setRegisteredModelTag(name: string, key: string, value: string): void {
    this.model(name)
    this.db.updateModel(name, { tags: { [key]: value } })
  }

  deleteRegisteredModelTag(name: string, key: string): void {
    this.tx(() => {
      const m = this.model(name)
      const row = this.registry.model(name)
      if (!row || !(key in m.tags)) return
      const { [key]: _gone, ...rest } = m.tags
      this.registry.updateModel(row.id, row.description, JSON.stringify(rest), Date.now())
    })
  }

  /** Deletes a model with its versions and aliases (what a version keeps goes with it, as in MLflow). */
  deleteRegisteredModel(name: string): void {
    this.tx(() => {
      this.model(name)
      this.rows.deleteRegisteredModel(name)
    })
  }

  /** MLflow's latest version per stage: mldb has no stages, so every version is stage "None" and the latest is the newest. */
  latestVersions(name: string, stages: readonly string[]): WireModelVersion[] {
    const m = this.model(name)
    if (m.latestVersion === null) return []
    if (stages.length > 0 && !stages.some((s) => s.toLowerCase() === 'none')) return []
    return [this.wireVersion(this.db.getModelVersion(`${name}/${m.latestVersion}`))]
  }

  // ------------------------------------------------------------ model versions

  /**
   * Registers a version of an MLflow model from its `source`: `models:/<logged
   * model id>` (MLflow 3), `runs:/<run id>/<path>`, or a URI under the run's
   * artifact URI. The version points at the `MLmodel` file (else the first file)
   * that the client uploaded there through mldb's artifact proxy.
   */
  createModelVersion(v: NewModelVersion): WireModelVersion {
    const { run, file, modelId } = this.sourceFile(v.source, v.runId, v.modelId)
    return this.tx(() => {
      if (!this.registry.model(v.name)) throw notFound(v.name)
      const mv = this.db.registerModel(v.name, { exp: run.name, file: file.id, description: v.description })
      const extras: VersionExtras = { source: v.source, tags: v.tags, ...(modelId ? { model_id: modelId } : {}) }
      this.rows.setVersionExtras(run.id, v.name, mv.version, JSON.stringify(extras))
      return this.wireVersion(mv)
    })
  }

  /** The run and the recorded file a version's source names. */
  private sourceFile(
    source: string,
    runId: string | undefined,
    modelId: string | undefined,
  ): { run: { id: number; name: string }; file: FileRecord; modelId?: string } {
    const bad = badSource(source)
    const s = parseVersionSource(source, runId, modelId, bad)
    if ('loggedModel' in s) {
      const logged = s.loggedModel
      const row = this.rows.loggedModel(logged)
      if (!row) throw bad(`no logged model ${logged} on this server`)
      if (row.experiment_id === null) throw bad(`logged model ${logged} has no source run, so no files on this server`)
      const run = this.liveRun(row.experiment_id, source)
      return {
        run,
        file: pick(
          this.db.getFiles(run.name).filter((f) => f.meta?.mlflowLoggedModel === logged),
          bad,
        ),
        modelId: logged,
      }
    }
    const run = this.runById(s.runId, bad)
    const dir = sourceFolder(s, run.artifactUri, bad)
    return {
      run,
      file: pick(
        this.db.getFiles(run.name).filter((f) => inFolder(dir, f.meta?.mlflowArtifact)),
        bad,
      ),
    }
  }

  private runById(runId: string, bad: (why: string) => MlflowApiError): { id: number; name: string; artifactUri: string } {
    const r = this.rows.experimentOfRun(runId)
    if (!r) throw bad(`run ${runId} not found`)
    if (r.deleted_at !== null) throw bad(`run ${runId} is deleted`)
    const uri = this.rows.run(r.id)?.artifact_uri
    if (!uri) throw bad(`run ${runId} has no MLflow artifact URI`)
    return { id: r.id, name: r.name, artifactUri: uri }
  }

  private liveRun(experimentId: number, source: string): { id: number; name: string } {
    const e = this.db.listExperiments({ ids: [experimentId] })[0]
    if (!e) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid value '${source}' for parameter 'source' supplied: its run is deleted`)
    return { id: e.id, name: e.name }
  }

  getModelVersion(name: string, version: string): WireModelVersion {
    return this.wireVersion(this.version(name, version))
  }

  /** Every version of every model (the routes filter, order and page). */
  searchModelVersions(): WireModelVersion[] {
    return this.db.listModelVersions().map((v) => this.wireVersion(v))
  }

  updateModelVersion(name: string, version: string, description: string | undefined): WireModelVersion {
    this.version(name, version)
    if (description !== undefined) this.tx(() => this.rows.setVersionDescription(name, versionNumber(version), description))
    return this.getModelVersion(name, version)
  }

  deleteModelVersion(name: string, version: string): void {
    this.tx(() => {
      const v = this.version(name, version)
      this.rows.deleteModelVersion(name, v.version, Date.now())
    })
  }

  setModelVersionTag(name: string, version: string, key: string, value: string | undefined): void {
    this.tx(() => {
      const v = this.version(name, version)
      const run = this.rows.experimentId(v.exp)
      if (run === undefined || !v.expExists)
        throw new MlflowApiError('INVALID_PARAMETER_VALUE', `the run of ${name} version ${version} was purged; its version tags cannot change`)
      const extras = this.extras(v)
      if (value === undefined) delete extras.tags[key]
      else extras.tags[key] = value
      this.rows.setVersionExtras(run, name, v.version, JSON.stringify(extras))
    })
  }

  downloadUri(name: string, version: string): string {
    const v = this.version(name, version)
    const e = this.extras(v)
    if (e.model_id) {
      const row = this.rows.loggedModel(e.model_id)
      if (row) return (JSON.parse(row.body) as { info: { artifact_uri: string } }).info.artifact_uri
    }
    return e.source
  }

  // ------------------------------------------------------------ aliases

  setAlias(name: string, alias: string, version: string): void {
    const v = this.version(name, version)
    this.db.setModelAlias(name, alias, v.version)
  }

  deleteAlias(name: string, alias: string): void {
    this.model(name)
    try {
      this.db.deleteModelAlias(name, alias)
    } catch (e) {
      // MLflow deletes a missing alias without complaint
      if (!(e instanceof NotFoundError)) throw e
    }
  }

  versionByAlias(name: string, alias: string): WireModelVersion {
    this.model(name)
    try {
      return this.wireVersion(this.db.getModelVersion(`${name}@${alias}`))
    } catch (e) {
      if (e instanceof NotFoundError) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Registered model alias ${alias} not found.`)
      throw e
    }
  }

  // ------------------------------------------------------------ wire shapes

  /** A version's MLflow fields: kept ones, else what mldb's version tells (its file under the run's artifacts). */
  private extras(v: ModelVersion): VersionExtras {
    const run = v.expExists ? this.rows.experimentId(v.exp) : undefined
    const body = run === undefined ? undefined : this.rows.versionExtras(run, v.name, v.version)
    if (body) return JSON.parse(body) as VersionExtras
    return { source: `file://${posix.dirname(v.path)}`, tags: {} }
  }

  private runIdOf(v: ModelVersion): string {
    const id = v.expExists ? this.rows.experimentId(v.exp) : undefined
    if (id === undefined) return ''
    return this.rows.run(id)?.run_id ?? syntheticRunId(id)
  }

  private wireVersion(v: ModelVersion): WireModelVersion {
    return toWireVersion(v, this.extras(v), this.runIdOf(v))
  }

  private wireModel(m: RegisteredModel): WireRegisteredModel {
    return toWireModel(m, m.latestVersion === null ? undefined : this.wireVersion(this.db.getModelVersion(`${m.name}/${m.latestVersion}`)))
  }
}

/** A version as MLflow's ModelVersion, from mldb's version, MLflow's kept fields and its run id. */
export function toWireVersion(v: ModelVersion, e: VersionExtras, runId: string): WireModelVersion {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.registeredAt,
    last_updated_timestamp: v.registeredAt,
    user_id: v.registeredBy,
    current_stage: 'None',
    description: v.description,
    source: e.source,
    run_id: runId,
    status: 'READY',
    tags: Object.entries(e.tags).map(([key, value]) => ({ key, value })),
    aliases: v.aliases,
    ...(e.model_id ? { model_id: e.model_id } : {}),
  }
}

/** A model as MLflow's RegisteredModel, with its latest version (if any). */
export function toWireModel(m: RegisteredModel, latest: WireModelVersion | undefined): WireRegisteredModel {
  return {
    name: m.name,
    creation_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    description: m.description,
    latest_versions: latest ? [latest] : [],
    tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  }
}

// MLflow's source rule is src/registry/mlflow-version-source.ts (shared with `mldb import`);
// these wrappers turn its refusals into the MlflowApiError both backends answer with.
export type { VersionSource }
export { inFolder }

/** Parses MLflow's create-model-version `source` (with `run_id` / `model_id` beside it) by mlflow-version-source.ts's rule. */
export function parseVersionSource(
  source: string,
  runId: string | undefined,
  modelId: string | undefined,
  bad: (why: string) => MlflowApiError,
): VersionSource {
  const s = parseSource(source, runId, modelId)
  if (!s) throw bad('mldb registers a version from models:/<id>, runs:/<run id>/<path>, or a path under a run_id given beside it')
  return s
}

/** The artifact folder of a run a `source` names: `sub` as is, or `under` relative to the run's artifact URI. */
export function sourceFolder(
  s: { runId: string; sub: string } | { runId: string; under: string },
  artifactUri: string,
  bad: (why: string) => MlflowApiError,
): string {
  const f = folderOf(s, artifactUri)
  if ('why' in f) throw bad(`it is ${f.why}`)
  return f.dir
}

/** The error of a bad `source`. */
export const badSource = (source: string) => (why: string) =>
  new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid value '${source}' for parameter 'source' supplied: ${why} (see docs/mlflow.md)`)

/** The version's file among a source's files: its MLmodel, else the first. */
export function pick(files: FileRecord[], bad: (why: string) => MlflowApiError): FileRecord {
  const f = pickVersionFile(files)
  if (!f) throw bad('no file was uploaded there through this server, and an mldb version points at a file it holds')
  return f
}
