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
import type { MlflowTracking, NewLoggedModel, NewMlflowRun, ViewType } from './tracking.js'
import { fromMlflowStatus, paramText, type WireExperiment, type WireLoggedModel, type WireMetric, type WireRun } from './wire.js'
import {
  artifactBase,
  artifactKind,
  DEFAULT_PROJECT,
  emptyName,
  experimentNotActive,
  nameTaken,
  newLoggedModel,
  newRunId,
  noExperiment,
  noLoggedModel,
  noRun,
  paramChanged,
  projectIdOf,
  projectNameOf,
  runNames,
  runNotActive,
  toWireExperiment,
  toWireRun,
  wireExperimentId,
} from './wire-rows.js'

export type { ViewType } from './tracking.js'

/**
 * MLflow's tracking calls over an mldb database.
 *
 * @example
 * const b = new MlflowBackend(db)
 * const id = b.createExperiment('iris', undefined, {})
 */
export class MlflowBackend implements MlflowTracking {
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
    return wireExperimentId(p)
  }

  private wireExperiment(p: MlflowProjectRow): WireExperiment {
    return toWireExperiment(p, this.rows.projectTags(p.id))
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
    const n = projectIdOf(experimentId)
    const p = n === undefined ? undefined : this.rows.project(n)
    if (!p) throw noExperiment(experimentId)
    return p
  }

  private projectNamed(name: string): MlflowProjectRow | undefined {
    return this.rows.projectByName(projectNameOf(name))
  }

  createExperiment(name: string, artifactLocation: string | undefined, tags: Record<string, string>): string {
    if (name.trim() === '') throw emptyName()
    return this.tx(() => {
      const taken = this.projectNamed(name)
      if (taken) throw nameTaken(name, taken.deleted_at)
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
    if (!r) throw noRun(runId)
    return r
  }

  private activeRun(runId: string): { id: number; name: string } {
    const r = this.run(runId)
    if (r.deleted_at !== null) throw runNotActive(runId)
    return r
  }

  createRun(r: NewMlflowRun): WireRun {
    const runId = newRunId(randomUUID())
    const id = this.tx(() => {
      const p = this.project(r.experimentId)
      if (p.deleted_at !== null) throw experimentNotActive(r.experimentId)
      const { runName, candidates } = runNames(r, runId)
      let name = runName
      for (const candidate of candidates) {
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
      this.rows.setRun(id, runId, `${artifactBase(p)}/${runId}/artifacts`, r.userId ?? null)
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
          // own keys only: a param named constructor or toString is not Object.prototype's member
          const had = Object.hasOwn(old, p.key) ? old[p.key] : undefined
          if (had !== undefined && paramText(had) !== p.value) throw paramChanged(p.key, had, p.value, runId)
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

  createLoggedModel(m: NewLoggedModel): WireLoggedModel {
    return this.tx(() => {
      const p = this.project(m.experimentId)
      const run = m.sourceRunId ? this.activeRun(m.sourceRunId) : undefined
      const modelId = `m-${newRunId(randomUUID())}`
      const now = Date.now()
      const model = newLoggedModel(p, m, modelId, now)
      this.rows.putLoggedModel(modelId, p.id, run?.id ?? null, now, JSON.stringify(model))
      return model
    })
  }

  getLoggedModel(modelId: string): WireLoggedModel {
    const row = this.rows.loggedModel(modelId)
    if (!row) throw noLoggedModel(modelId)
    return JSON.parse(row.body) as WireLoggedModel
  }

  /** Changes a logged model in one transaction and returns it. */
  updateLoggedModel(modelId: string, change: (m: WireLoggedModel) => void): WireLoggedModel {
    return this.tx(() => {
      const row = this.rows.loggedModel(modelId)
      if (!row) throw noLoggedModel(modelId)
      const m = JSON.parse(row.body) as WireLoggedModel
      change(m)
      m.info.last_updated_timestamp_ms = Date.now()
      this.rows.putLoggedModel(modelId, row.project_id, row.experiment_id, m.info.creation_timestamp_ms, JSON.stringify(m))
      return m
    })
  }

  deleteLoggedModel(modelId: string): void {
    if (this.tx(() => this.rows.deleteLoggedModel(modelId)) === 0) throw noLoggedModel(modelId)
  }

  searchLoggedModels(experimentIds: readonly string[]): WireLoggedModel[] {
    const ids: number[] = []
    for (const id of experimentIds) {
      const n = projectIdOf(id)
      const p = id === '0' ? this.rows.projectByName(DEFAULT_PROJECT) : n === undefined ? undefined : this.rows.project(n)
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
      // the id's decimal text only (' 1', '1.0' are not 1), as the PostgreSQL backend reads it
      const n = projectIdOf(id)
      return n === undefined ? undefined : this.rows.project(n)
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
      const inputs = m || this.hasInputs(id) ? this.rows.inputs(id) : []
      out.push(toWireRun(e, m, projects.get(e.project), inputs))
    }
    return out
  }

  private hasInputs(id: number): boolean {
    return this.db.sqlite.prepare('SELECT 1 FROM mlflow_run_inputs WHERE experiment_id = ? LIMIT 1').get(id) !== undefined
  }
}
