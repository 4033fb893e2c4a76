/**
 * What MLflow's tracking routes need of a database, in MLflow's words: the seam
 * between the routes (wire mapping, filters, paging: shared) and data access,
 * which differs per backend. The SQLite adapter (backend.ts) answers
 * synchronously over `Database`; the PostgreSQL one (pg-backend.ts) answers
 * with promises over the team server's pool. The routes `await` either.
 */
import type { WireModelVersion, WireRegisteredModel } from './registry-backend.js'
import type { WireExperiment, WireLoggedModel, WireMetric, WireRun } from './wire.js'

/** MLflow's view types: which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'

/** A value now, or later. */
export type Awaitable<T> = T | Promise<T>

/** MLflow's log-batch: params, tags and metrics of one run, written together. */
export interface MlflowBatch {
  metrics: WireMetric[]
  params: { key: string; value: string }[]
  tags: { key: string; value: string }[]
}

/** A new run as MLflow's create-run sends it. */
export interface NewMlflowRun {
  experimentId: string
  userId?: string | undefined
  startTime?: number | undefined
  runName?: string | undefined
  tags: Record<string, string>
}

/** A new MLflow 3 logged model. */
export interface NewLoggedModel {
  experimentId: string
  name?: string | undefined
  modelType?: string | undefined
  sourceRunId?: string | undefined
  params: { key: string; value: string }[]
  tags: { key: string; value: string }[]
}

/**
 * MLflow's tracking calls over one mldb database (experiment = mldb project,
 * run = mldb experiment). Errors are MlflowApiError with MLflow's codes.
 */
export interface MlflowTracking {
  createExperiment(name: string, artifactLocation: string | undefined, tags: Record<string, string>): Awaitable<string>
  getExperiment(experimentId: string): Awaitable<WireExperiment>
  getExperimentByName(name: string): Awaitable<WireExperiment>
  /** Every experiment of a view type, in id order (the routes filter, order and page). */
  listExperiments(view: ViewType): Awaitable<WireExperiment[]>
  renameExperiment(experimentId: string, newName: string): Awaitable<void>
  /** Deletes (or restores) an experiment and its runs, as MLflow does. */
  setExperimentDeleted(experimentId: string, deleted: boolean): Awaitable<void>
  setExperimentTag(experimentId: string, key: string, value: string): Awaitable<void>
  deleteExperimentTag(experimentId: string, key: string): Awaitable<void>

  createRun(r: NewMlflowRun): Awaitable<WireRun>
  getRun(runId: string): Awaitable<WireRun>
  updateRun(runId: string, u: { status?: string | undefined; endTime?: number | undefined; runName?: string | undefined }): Awaitable<WireRun>
  setRunDeleted(runId: string, deleted: boolean): Awaitable<void>
  /** Validated by the route (validation.ts); written in one transaction. */
  logBatch(runId: string, b: MlflowBatch): Awaitable<void>
  deleteTag(runId: string, key: string): Awaitable<void>
  logInputs(runId: string, datasets: unknown[], models: unknown[]): Awaitable<void>
  logOutputs(runId: string, models: unknown[]): Awaitable<void>
  /** Every value of one metric in step order (equal steps in the order logged). */
  metricHistory(runId: string, key: string): Awaitable<WireMetric[]>
  /** The runs of some experiments (the routes filter, order and page). */
  searchRuns(experimentIds: readonly string[], view: ViewType): Awaitable<WireRun[]>

  /** Records an uploaded artifact (a file on the server's disk) as a file of its run. */
  recordArtifact(runId: string, path: string, artifactPath: string): Awaitable<void>
  /** Records a file uploaded into a logged model's artifacts as a model file of its source run. */
  recordModelArtifact(modelId: string, path: string, artifactPath: string): Awaitable<void>

  createLoggedModel(m: NewLoggedModel): Awaitable<WireLoggedModel>
  getLoggedModel(modelId: string): Awaitable<WireLoggedModel>
  /** Changes a logged model in one transaction and returns it. */
  updateLoggedModel(modelId: string, change: (m: WireLoggedModel) => void): Awaitable<WireLoggedModel>
  deleteLoggedModel(modelId: string): Awaitable<void>
  searchLoggedModels(experimentIds: readonly string[]): Awaitable<WireLoggedModel[]>
}

/** A new model version as MLflow's create-model-version sends it. */
export interface NewModelVersion {
  name: string
  source: string
  runId?: string | undefined
  modelId?: string | undefined
  description: string
  tags: Record<string, string>
}

/**
 * MLflow's model registry calls over mldb's registry (registry-backend.ts on a
 * SQLite file, pg-registry-backend.ts on PostgreSQL).
 */
export interface MlflowModelRegistry {
  createRegisteredModel(name: string, description: string, tags: Record<string, string>): Awaitable<WireRegisteredModel>
  getRegisteredModel(name: string): Awaitable<WireRegisteredModel>
  searchRegisteredModels(): Awaitable<WireRegisteredModel[]>
  updateRegisteredModel(name: string, description: string | undefined): Awaitable<WireRegisteredModel>
  setRegisteredModelTag(name: string, key: string, value: string): Awaitable<void>
  deleteRegisteredModelTag(name: string, key: string): Awaitable<void>
  deleteRegisteredModel(name: string): Awaitable<void>
  /** MLflow's latest version per stage: mldb has no stages, so the newest, as stage "None". */
  latestVersions(name: string, stages: readonly string[]): Awaitable<WireModelVersion[]>
  createModelVersion(v: NewModelVersion): Awaitable<WireModelVersion>
  getModelVersion(name: string, version: string): Awaitable<WireModelVersion>
  /** Every version of every model (the routes filter, order and page). */
  searchModelVersions(): Awaitable<WireModelVersion[]>
  updateModelVersion(name: string, version: string, description: string | undefined): Awaitable<WireModelVersion>
  deleteModelVersion(name: string, version: string): Awaitable<void>
  /** Sets a version's tag, or deletes it (undefined). */
  setModelVersionTag(name: string, version: string, key: string, value: string | undefined): Awaitable<void>
  downloadUri(name: string, version: string): Awaitable<string>
  setAlias(name: string, alias: string, version: string): Awaitable<void>
  deleteAlias(name: string, alias: string): Awaitable<void>
  versionByAlias(name: string, alias: string): Awaitable<WireModelVersion>
}
