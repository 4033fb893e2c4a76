/**
 * The one place the MLflow routes reach the database: an adapter from MLflow's
 * words (experiment = mldb project, run = mldb experiment, run id, lifecycle)
 * onto mldb's synchronous `Database`. When the team server's async `Store`
 * grows the calls this needs, only this file changes.
 */
import { randomUUID } from 'node:crypto'
import type { Database } from '../../api/database.js'
import { parseSeriesKey } from '../../query/parse.js'
import { ExperimentRows } from '../../store/experiment-rows.js'
import { listExperiments } from '../../store/experiments.js'
import { type MlflowProjectRow, MlflowRows, syntheticRunId } from '../../store/mlflow-rows.js'
import type { ExperimentSummary, Json } from '../../store/types.js'
import { MlflowApiError } from './errors.js'
import { fromMlflowStatus, paramText, toMlflowStatus, type WireExperiment, type WireLoggedModel, type WireMetric, type WireRun } from './wire.js'

/** MLflow's view types: which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'

/** MLflow's default experiment (id "0", "Default") is mldb's `default` project. */
const DEFAULT_PROJECT = 'default'

const lifecycle = (deletedAt: number | null) => (deletedAt === null ? 'active' : 'deleted')

/**
 * MLflow's tracking calls over an mldb database.
 *
 * @example
 * const b = new MlflowBackend(db)
 * const id = b.createExperiment('iris', undefined, {})
 */
export class MlflowBackend {
  readonly rows: MlflowRows
  private readonly exps: ExperimentRows

  constructor(readonly db: Database) {
    this.rows = new MlflowRows(db.sqlite)
    this.exps = new ExperimentRows(db.sqlite)
  }

  /** Runs fn in one write transaction (joined by the Database calls inside). */
  private tx<T>(fn: () => T): T {
    return this.db.sqlite.transaction(fn).immediate()
  }

  // ------------------------------------------------------------ experiments

  private wireId(p: MlflowProjectRow): string {
    return p.name === DEFAULT_PROJECT ? '0' : String(p.id)
  }

  private wireExperiment(p: MlflowProjectRow): WireExperiment {
    const tags = this.rows.projectTags(p.id)
    return {
      experiment_id: this.wireId(p),
      name: p.name === DEFAULT_PROJECT ? 'Default' : p.name,
      artifact_location: p.artifact_location ?? `mlflow-artifacts:/${this.wireId(p)}`,
      lifecycle_stage: lifecycle(p.deleted_at),
      creation_time: p.created_at,
      last_update_time: p.updated_at ?? p.created_at,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    }
  }

  private ensureDefault(): MlflowProjectRow {
    const p = this.rows.projectByName(DEFAULT_PROJECT)
    if (p) return p
    this.rows.insertProject(DEFAULT_PROJECT, Date.now(), null)
    return this.rows.projectByName(DEFAULT_PROJECT) as MlflowProjectRow
  }

  /** The project behind an MLflow experiment id, or RESOURCE_DOES_NOT_EXIST. */
  private project(experimentId: string): MlflowProjectRow {
    if (experimentId === '0') return this.ensureDefault()
    const n = /^[1-9][0-9]{0,15}$/.test(experimentId) ? Number(experimentId) : undefined
    const p = n === undefined ? undefined : this.rows.project(n)
    if (!p) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`)
    return p
  }

  private projectNamed(name: string): MlflowProjectRow | undefined {
    return this.rows.projectByName(name === 'Default' ? DEFAULT_PROJECT : name)
  }

  createExperiment(name: string, artifactLocation: string | undefined, tags: Record<string, string>): string {
    if (name.trim() === '')
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', "Invalid value '' for parameter 'name' supplied: the experiment name must not be empty")
    return this.tx(() => {
      const taken = this.projectNamed(name)
      if (taken)
        throw new MlflowApiError(
          'RESOURCE_ALREADY_EXISTS',
          `Experiment(name=${name}) already exists. Error: the name is taken (lifecycle ${lifecycle(taken.deleted_at)})`,
        )
      const id = this.rows.insertProject(name, Date.now(), artifactLocation ?? null)
      for (const [k, v] of Object.entries(tags)) this.rows.setProjectTag(id, k, v)
      return this.wireId(this.rows.project(id) as MlflowProjectRow)
    })
  }

  getExperiment(experimentId: string): WireExperiment {
    if (experimentId === '0' && !this.rows.projectByName(DEFAULT_PROJECT)) return this.tx(() => this.wireExperiment(this.ensureDefault()))
    return this.wireExperiment(this.project(experimentId))
  }

  getExperimentByName(name: string): WireExperiment {
    if (name === 'Default' && !this.rows.projectByName(DEFAULT_PROJECT)) return this.tx(() => this.wireExperiment(this.ensureDefault()))
    const p = this.projectNamed(name)
    if (!p) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`)
    return this.wireExperiment(p)
  }

  /** Every experiment of a view type, in id order (the routes filter, order and page). */
  listExperiments(view: ViewType): WireExperiment[] {
    if (!this.rows.projectByName(DEFAULT_PROJECT)) this.tx(() => this.ensureDefault())
    return this.rows
      .projects()
      .filter((p) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (p.deleted_at === null))
      .map((p) => this.wireExperiment(p))
  }

  renameExperiment(experimentId: string, newName: string): void {
    this.tx(() => {
      const p = this.project(experimentId)
      if (newName.trim() === '') throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'The experiment name must not be empty')
      if (p.deleted_at !== null) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Cannot rename a non-active experiment')
      const other = this.projectNamed(newName)
      if (other && other.id !== p.id) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists`)
      if (p.name === DEFAULT_PROJECT)
        throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'the Default experiment is mldb\'s "default" project and keeps its name')
      this.rows.renameProject(p.id, newName)
      this.rows.setProjectFields(p.id, { updatedAt: Date.now() })
    })
  }

  /** Deletes (or restores) an experiment and its runs, as MLflow does. */
  setExperimentDeleted(experimentId: string, deleted: boolean): void {
    this.tx(() => {
      const p = this.project(experimentId)
      if (experimentId === '0' && deleted) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Cannot delete the default experiment')
      const now = Date.now()
      this.rows.setProjectFields(p.id, { deletedAt: deleted ? (p.deleted_at ?? now) : null, updatedAt: now })
      const names = listExperiments(this.db.sqlite, { project: p.name, trashed: !deleted }).map((e) => e.name)
      for (const n of names) deleted ? this.db.trashExperiment(n) : this.db.restoreExperiment(n)
    })
  }

  setExperimentTag(experimentId: string, key: string, value: string): void {
    this.tx(() => {
      const p = this.project(experimentId)
      if (p.deleted_at !== null) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state`)
      this.rows.setProjectTag(p.id, key, value)
    })
  }

  deleteExperimentTag(experimentId: string, key: string): void {
    this.tx(() => {
      const p = this.project(experimentId)
      if (this.rows.deleteProjectTag(p.id, key) === 0)
        throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in experiment with id ${experimentId}`)
    })
  }

  // ------------------------------------------------------------ runs

  /** The experiment behind a run id (live or deleted), or RESOURCE_DOES_NOT_EXIST. */
  private run(runId: string): { id: number; name: string; deleted_at: number | null; project_id: number } {
    const r = this.rows.experimentOfRun(runId)
    if (!r) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`)
    return r
  }

  private activeRun(runId: string): { id: number; name: string } {
    const r = this.run(runId)
    if (r.deleted_at !== null) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`)
    return r
  }

  createRun(r: {
    experimentId: string
    userId?: string | undefined
    startTime?: number | undefined
    runName?: string | undefined
    tags: Record<string, string>
  }): WireRun {
    const runId = randomUUID().replaceAll('-', '')
    const id = this.tx(() => {
      const p = this.project(r.experimentId)
      if (p.deleted_at !== null)
        throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The experiment ${r.experimentId} must be in the 'active' state. Current state is deleted.`)
      const runName = r.runName || r.tags['mlflow.runName'] || `run-${runId.slice(0, 8)}`
      let name = runName
      for (const candidate of [runName, `${runName}-${runId.slice(0, 8)}`, `${runName}-${runId}`]) {
        name = candidate
        if (!this.exps.byName(name)) break
      }
      // Not db.setExpStatus: that keeps a heartbeat timer in this process, and a
      // remote run is alive only while its client logs (else it reads LOST).
      const now = Date.now()
      const id = this.exps.insert({
        name,
        projectId: p.id,
        status: 'TRAINING',
        now,
        startedAt: now,
        endedAt: null,
        host: 'mlflow client',
        pid: 0,
      })
      const base = p.artifact_location ?? `mlflow-artifacts:/${this.wireId(p)}`
      this.rows.setRun(id, runId, `${base}/${runId}/artifacts`, r.userId ?? null)
      if (r.startTime !== undefined) this.rows.setRunTimes(id, { startedAt: r.startTime })
      this.db.setTags(name, { ...r.tags, 'mlflow.runName': runName })
      return id
    })
    return this.wireRun(id)
  }

  getRun(runId: string): WireRun {
    return this.wireRun(this.run(runId).id)
  }

  updateRun(runId: string, u: { status?: string | undefined; endTime?: number | undefined; runName?: string | undefined }): WireRun {
    const id = this.tx(() => {
      const r = this.activeRun(runId)
      if (u.status !== undefined) {
        const status = fromMlflowStatus(u.status)
        const final = status === 'COMPLETE' || status === 'FAILED' || status === 'KILLED'
        this.exps.setStatus(r.id, status, Date.now(), status === 'TRAINING', final)
        if (final && u.endTime !== undefined) this.rows.setRunTimes(r.id, { endedAt: u.endTime })
      }
      if (u.runName) this.db.setTags(r.name, { 'mlflow.runName': u.runName })
      return r.id
    })
    return this.wireRun(id)
  }

  setRunDeleted(runId: string, deleted: boolean): void {
    this.tx(() => {
      const r = this.run(runId)
      if (deleted && r.deleted_at === null) this.db.trashExperiment(r.name)
      if (!deleted && r.deleted_at !== null) this.db.restoreExperiment(r.name)
    })
  }

  /** Validates everything, then writes params, tags and metrics in one transaction (MLflow's log-batch). */
  logBatch(runId: string, b: { metrics: WireMetric[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] }): void {
    this.tx(() => {
      const r = this.activeRun(runId)
      if (b.params.length > 0) {
        const old = this.db.getParams(r.name)
        const params: Record<string, Json> = {}
        for (const p of b.params) {
          const had = old[p.key]
          if (had !== undefined && paramText(had) !== p.value) {
            throw new MlflowApiError(
              'INVALID_PARAMETER_VALUE',
              `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${paramText(had)}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
            )
          }
          if (had === undefined) params[p.key] = p.value
        }
        this.db.setParams(r.name, params)
      }
      if (b.tags.length > 0) this.db.setTags(r.name, Object.fromEntries(b.tags.map((t) => [t.key, t.value])))
      // A metric equal in key, timestamp, step and value to one logged already is
      // not logged again (MLflow's primary key), so a client's retry doubles nothing.
      const seen = new Set<string>()
      const points = b.metrics
        .map((m) => ({ ...parseSeriesKey(m.key), step: m.step, value: m.value, time: m.timestamp }))
        .filter((p) => {
          const id = JSON.stringify([p.name, p.split, p.step, p.time, String(p.value)])
          if (seen.size === seen.add(id).size) return false
          return !this.rows.hasPoint(r.id, p.name, p.split, p)
        })
      if (points.length > 0) this.db.logBatch(r.name, points)
    })
  }

  deleteTag(runId: string, key: string): void {
    this.tx(() => {
      const r = this.activeRun(runId)
      if (this.rows.deleteTag(r.id, key) === 0) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`)
    })
  }

  /** Keeps log_inputs datasets and model inputs whole, as MLflow sent them. */
  logInputs(runId: string, datasets: unknown[], models: unknown[]): void {
    this.tx(() => {
      const r = this.activeRun(runId)
      for (const d of datasets) this.rows.addInput(r.id, 'dataset', JSON.stringify(d))
      for (const m of models) this.rows.addInput(r.id, 'model_input', JSON.stringify(m))
    })
  }

  /** Keeps MLflow 3 logged-model outputs of a run. */
  logOutputs(runId: string, models: unknown[]): void {
    this.tx(() => {
      const r = this.activeRun(runId)
      for (const m of models) this.rows.addInput(r.id, 'model_output', JSON.stringify(m))
    })
  }

  /** Every value of one metric in step order (equal steps in the order logged). */
  metricHistory(runId: string, key: string): WireMetric[] {
    const r = this.run(runId)
    const { name, split } = parseSeriesKey(key)
    return this.rows.points(r.id, name, split).map((p) => ({ key, value: p.value, timestamp: p.time, step: p.step }))
  }

  /** Records an uploaded artifact as a file of its run (no run: nothing to record). */
  recordArtifact(runId: string, path: string, artifactPath: string): void {
    const r = this.rows.experimentOfRun(runId)
    if (!r || r.deleted_at !== null) return
    const known = this.db.getFiles(r.name).some((f) => f.path === path)
    if (!known) this.db.addFile(r.name, path, { kind: artifactKind(path), hash: true, meta: { mlflowArtifact: artifactPath } })
  }

  // ------------------------------------------------------------ logged models (MLflow 3)

  createLoggedModel(m: {
    experimentId: string
    name?: string | undefined
    modelType?: string | undefined
    sourceRunId?: string | undefined
    params: { key: string; value: string }[]
    tags: { key: string; value: string }[]
  }): WireLoggedModel {
    return this.tx(() => {
      const p = this.project(m.experimentId)
      const run = m.sourceRunId ? this.activeRun(m.sourceRunId) : undefined
      const modelId = `m-${randomUUID().replaceAll('-', '')}`
      const now = Date.now()
      const base = p.artifact_location ?? `mlflow-artifacts:/${this.wireId(p)}`
      const model: WireLoggedModel = {
        info: {
          model_id: modelId,
          experiment_id: this.wireId(p),
          name: m.name || `model-${modelId.slice(2, 10)}`,
          artifact_uri: `${base}/models/${modelId}/artifacts`,
          creation_timestamp_ms: now,
          last_updated_timestamp_ms: now,
          status: 'LOGGED_MODEL_PENDING',
          tags: m.tags,
          ...(m.modelType ? { model_type: m.modelType } : {}),
          ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
        },
        data: { params: m.params, metrics: [] },
      }
      this.rows.putLoggedModel(modelId, p.id, run?.id ?? null, now, JSON.stringify(model))
      return model
    })
  }

  getLoggedModel(modelId: string): WireLoggedModel {
    const row = this.rows.loggedModel(modelId)
    if (!row) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found`)
    return JSON.parse(row.body) as WireLoggedModel
  }

  /** Changes a logged model in one transaction and returns it. */
  updateLoggedModel(modelId: string, change: (m: WireLoggedModel) => void): WireLoggedModel {
    return this.tx(() => {
      const row = this.rows.loggedModel(modelId)
      if (!row) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found`)
      const m = JSON.parse(row.body) as WireLoggedModel
      change(m)
      m.info.last_updated_timestamp_ms = Date.now()
      this.rows.putLoggedModel(modelId, row.project_id, row.experiment_id, m.info.creation_timestamp_ms, JSON.stringify(m))
      return m
    })
  }

  deleteLoggedModel(modelId: string): void {
    if (this.tx(() => this.rows.deleteLoggedModel(modelId)) === 0)
      throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found`)
  }

  searchLoggedModels(experimentIds: readonly string[]): WireLoggedModel[] {
    const ids: number[] = []
    for (const id of experimentIds) {
      const p = id === '0' ? this.rows.projectByName(DEFAULT_PROJECT) : /^\d+$/.test(id) ? this.rows.project(Number(id)) : undefined
      if (p) ids.push(p.id)
    }
    return this.rows.loggedModels(ids).map((b) => JSON.parse(b) as WireLoggedModel)
  }

  /** Records a file uploaded into a logged model's artifacts as a model file of its source run. */
  recordModelArtifact(modelId: string, path: string, artifactPath: string): void {
    const row = this.rows.loggedModel(modelId)
    if (!row || row.experiment_id === null) return
    const r = this.db.listExperiments({ ids: [row.experiment_id] })[0]
    if (!r) return
    if (this.db.getFiles(r.name).some((f) => f.path === path)) return
    this.db.addFile(r.name, path, { kind: 'model', hash: true, meta: { mlflowLoggedModel: modelId, mlflowArtifact: artifactPath } })
  }

  /** The runs of some experiments, as MLflow shows them (the routes filter, order and page). */
  searchRuns(experimentIds: readonly string[], view: ViewType): WireRun[] {
    const projects = experimentIds.map((id) => {
      if (id === '0') return this.rows.projectByName(DEFAULT_PROJECT)
      const p = this.rows.project(Number(id))
      return p
    })
    const ids = new Set(projects.filter((p) => p !== undefined).map((p) => p.id))
    if (ids.size === 0) return []
    const which = view === 'ACTIVE_ONLY' ? 'live' : view === 'DELETED_ONLY' ? 'deleted' : 'all'
    const expIds = this.rows.experimentIds([...ids], which)
    return this.wireRuns(expIds)
  }

  private wireRun(id: number): WireRun {
    const [run] = this.wireRuns([id])
    if (!run) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run ${syntheticRunId(id)} not found`)
    return run
  }

  private wireRuns(ids: number[]): WireRun[] {
    if (ids.length === 0) return []
    const live = listExperiments(this.db.sqlite, { ids })
    const trashed = live.length === ids.length ? [] : listExperiments(this.db.sqlite, { ids, trashed: true })
    const byId = new Map<number, ExperimentSummary>([...live, ...trashed].map((e) => [e.id, e]))
    const meta = this.rows.runs(ids)
    const projects = new Map(this.rows.projects().map((p) => [p.name, p]))
    const out: WireRun[] = []
    for (const id of ids) {
      const e = byId.get(id)
      if (!e) continue
      const m = meta.get(id)
      const p = projects.get(e.project)
      const expId = p ? this.wireId(p) : '0'
      const runId = m?.run_id ?? syntheticRunId(id)
      const tags = { ...e.tags }
      const runName = tags['mlflow.runName'] ?? e.name
      tags['mlflow.runName'] = runName
      const inputs = m || this.hasInputs(id) ? this.rows.inputs(id) : []
      const parse = (kind: string) => inputs.filter((i) => i.kind === kind).map((i) => JSON.parse(i.body) as unknown)
      out.push({
        info: {
          run_id: runId,
          run_uuid: runId,
          run_name: runName,
          experiment_id: expId,
          user_id: m?.user_id ?? tags['mlflow.user'] ?? '',
          status: toMlflowStatus(e.status),
          start_time: e.startedAt ?? e.createdAt,
          ...(e.endedAt !== null ? { end_time: e.endedAt } : {}),
          artifact_uri: m?.artifact_uri ?? `mlflow-artifacts:/${expId}/${runId}/artifacts`,
          lifecycle_stage: lifecycle(e.deletedAt),
        },
        data: {
          metrics: Object.values(e.series).map((s) => ({ key: s.key, value: s.last, timestamp: s.lastTime ?? 0, step: s.lastStep ?? 0 })),
          params: Object.entries(e.params).map(([key, v]) => ({ key, value: paramText(v) })),
          tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
        },
        inputs: { dataset_inputs: parse('dataset'), model_inputs: parse('model_input') },
        outputs: { model_outputs: parse('model_output') },
      })
    }
    return out
  }

  private hasInputs(id: number): boolean {
    return this.db.sqlite.prepare('SELECT 1 FROM mlflow_run_inputs WHERE experiment_id = ? LIMIT 1').get(id) !== undefined
  }
}

/** mldb's file kind of an artifact, from its name. */
function artifactKind(path: string): 'model' | 'image' | 'data' | 'other' {
  const lower = path.toLowerCase()
  if (/\.(png|jpe?g|gif|webp|svg)$/.test(lower)) return 'image'
  if (/\.(pt|pth|pkl|onnx|safetensors|h5|ckpt|joblib)$/.test(lower) || /\/mlmodel$/i.test(lower)) return 'model'
  if (/\.(csv|json|parquet|txt|npy|npz)$/.test(lower)) return 'data'
  return 'other'
}
