/**
 * MLflow's tracking calls on a team server on PostgreSQL: backend.ts's rules
 * (shared through wire-rows.ts) over pg-mlflow.ts's SQL, each write one
 * transaction on the store's pool. Runs are read back through the store's own
 * listing, so MLflow and mldb's /api see the same summaries.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { sha256File, statFile } from '../../api/files.js'
import { checkKey, checkRowCount, checkTagValue, toJsonValue } from '../../api/validate.js'
import { parseSeriesKey } from '../../query/parse.js'
import type { MlflowProjectRow } from '../../store/mlflow-rows.js'
import { lockExperiments } from '../../store/postgres/pg-locks.js'
import * as rows from '../../store/postgres/pg-mlflow.js'
import { mapError, type PostgresStore } from '../../store/postgres/pg-store.js'
import type { ExperimentSummary, Json } from '../../store/types.js'
import { MlflowApiError } from './errors.js'
import type { MlflowBatch, MlflowTracking, NewLoggedModel, NewMlflowRun, ViewType } from './tracking.js'
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

type Q = rows.Q

/**
 * MLflow's tracking calls over a PostgresStore.
 *
 * @example
 * const b = new PgMlflowBackend(store)
 * const id = await b.createExperiment('iris', undefined, {})
 */
export class PgMlflowBackend implements MlflowTracking {
  private readonly pool: pg.Pool

  constructor(private readonly store: PostgresStore) {
    this.pool = store.pool
  }

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return rows.pgMlflowTx(this.pool, this.store.location, fn)
  }

  /** A read on the pool, errors mapped as the store's reads. */
  private read<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return fn(this.pool).catch((e: unknown) => {
      throw mapError(e, this.store.location)
    })
  }

  // ------------------------------------------------------------ experiments

  private async wireExperiments(q: Q, ps: MlflowProjectRow[]): Promise<WireExperiment[]> {
    const tags = await rows.pgProjectTags(
      q,
      ps.map((p) => p.id),
    )
    return ps.map((p) => toWireExperiment(p, tags.get(p.id) ?? {}))
  }

  private async wireExperiment(q: Q, p: MlflowProjectRow): Promise<WireExperiment> {
    return (await this.wireExperiments(q, [p]))[0] as WireExperiment
  }

  /** The default project, created when missing (MLflow always has experiment "0"). */
  private async ensureDefault(): Promise<MlflowProjectRow> {
    const p = await this.read((q) => rows.pgProjectByName(q, DEFAULT_PROJECT))
    if (p) return p
    return this.tx(async (c) => {
      const id = await rows.pgInsertProject(c, DEFAULT_PROJECT, Date.now(), null)
      return (await rows.pgProject(c, id)) as MlflowProjectRow
    })
  }

  /** The project behind an MLflow experiment id, or RESOURCE_DOES_NOT_EXIST. */
  private async project(q: Q, experimentId: string): Promise<MlflowProjectRow> {
    if (experimentId === '0') {
      const d = await rows.pgProjectByName(q, DEFAULT_PROJECT)
      if (d) return d
      if (q === this.pool) return this.ensureDefault()
      const id = await rows.pgInsertProject(q as pg.PoolClient, DEFAULT_PROJECT, Date.now(), null)
      return (await rows.pgProject(q, id)) as MlflowProjectRow
    }
    const n = projectIdOf(experimentId)
    const p = n === undefined ? undefined : await rows.pgProject(q, n)
    if (!p) throw noExperiment(experimentId)
    return p
  }

  async createExperiment(name: string, artifactLocation: string | undefined, tags: Record<string, string>): Promise<string> {
    if (name.trim() === '') throw emptyName()
    return this.tx(async (c) => {
      // one creator of a name at a time (MLflow's clients race on set_experiment)
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mldb-mlflow-project:${name}`])
      const taken = await rows.pgProjectByName(c, projectNameOf(name))
      if (taken) throw nameTaken(name, taken.deleted_at)
      const id = await rows.pgInsertProject(c, name, Date.now(), artifactLocation ?? null)
      for (const [k, v] of Object.entries(tags)) await rows.pgSetProjectTag(c, id, k, v)
      return wireExperimentId((await rows.pgProject(c, id)) as MlflowProjectRow)
    })
  }

  async getExperiment(experimentId: string): Promise<WireExperiment> {
    const p = await this.read((q) => this.project(q, experimentId))
    return this.read((q) => this.wireExperiment(q, p))
  }

  async getExperimentByName(name: string): Promise<WireExperiment> {
    const p = name === 'Default' ? await this.ensureDefault() : await this.read((q) => rows.pgProjectByName(q, name))
    if (!p) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`)
    return this.read((q) => this.wireExperiment(q, p))
  }

  async listExperiments(view: ViewType): Promise<WireExperiment[]> {
    await this.ensureDefault()
    return this.read(async (q) => {
      const ps = (await rows.pgProjects(q)).filter((p) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (p.deleted_at === null))
      return this.wireExperiments(q, ps)
    })
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.tx(async (c) => {
      const p = await this.project(c, experimentId)
      if (newName.trim() === '') throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'The experiment name must not be empty')
      if (p.deleted_at !== null) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Cannot rename a non-active experiment')
      const other = await rows.pgProjectByName(c, projectNameOf(newName))
      if (other && other.id !== p.id) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists`)
      if (p.name === DEFAULT_PROJECT)
        throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'the Default experiment is mldb\'s "default" project and keeps its name')
      await rows.pgRenameProject(c, p.id, newName)
      await rows.pgSetProjectFields(c, p.id, { updatedAt: Date.now() })
    })
  }

  async setExperimentDeleted(experimentId: string, deleted: boolean): Promise<void> {
    await this.tx(async (c) => {
      const p = await this.project(c, experimentId)
      if (experimentId === '0' && deleted) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Cannot delete the default experiment')
      const now = Date.now()
      await rows.pgSetProjectFields(c, p.id, { deletedAt: deleted ? (p.deleted_at ?? now) : null, updatedAt: now })
      await rows.pgSetProjectTrashed(c, p.id, deleted, now)
    })
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.tx(async (c) => {
      const p = await this.project(c, experimentId)
      if (p.deleted_at !== null) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state`)
      await rows.pgSetProjectTag(c, p.id, key, value)
    })
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.tx(async (c) => {
      const p = await this.project(c, experimentId)
      if ((await rows.pgDeleteProjectTag(c, p.id, key)) === 0)
        throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in experiment with id ${experimentId}`)
    })
  }

  // ------------------------------------------------------------ runs

  /** The experiment behind a run id (live or deleted), or RESOURCE_DOES_NOT_EXIST; `lock`: its row locked (a write). */
  private async run(q: Q, runId: string, lock = false): Promise<rows.PgRunRef> {
    const r = await rows.pgExperimentOfRun(q, runId, lock)
    if (!r) throw noRun(runId)
    return r
  }

  /**
   * The run, its row locked first in this transaction (pg-locks.ts: the same order as
   * the sync receiver's writes; MLflow's client logs one run from many threads), and live.
   */
  private async activeRun(c: pg.PoolClient, runId: string): Promise<rows.PgRunRef> {
    const r = await this.run(c, runId, true)
    if (r.deleted_at !== null) throw runNotActive(runId)
    return r
  }

  async createRun(r: NewMlflowRun): Promise<WireRun> {
    const runId = newRunId(randomUUID())
    const { runName, candidates } = runNames(r, runId)
    const tags = Object.entries({ ...r.tags, 'mlflow.runName': runName }).map(([k, v]) => [checkKey('tag key', k), checkTagValue(k, v)] as const)
    const id = await this.tx(async (c) => {
      const p = await this.project(c, r.experimentId)
      if (p.deleted_at !== null) throw experimentNotActive(r.experimentId)
      // runs of one name pick their mldb names one at a time (parallel trials often share a run name)
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mldb-mlflow-run-name:${runName}`])
      let name = runName
      for (const candidate of candidates) {
        name = candidate
        if (!(await rows.pgExperimentByName(c, name))) break
      }
      const now = Date.now()
      const id = await rows.pgInsertExperiment(c, name, p.id, now)
      await rows.pgSetRun(c, id, runId, `${artifactBase(p)}/${runId}/artifacts`, r.userId ?? null)
      if (r.startTime !== undefined) await rows.pgSetRunTimes(c, id, { startedAt: r.startTime })
      await rows.pgSetTags(c, id, tags, now)
      checkRowCount((await rows.pgRowCounts(c, id)).tags, 'tags', name)
      return id
    })
    return this.wireRun(id)
  }

  async getRun(runId: string): Promise<WireRun> {
    const r = await this.read((q) => this.run(q, runId))
    return this.wireRun(r.id)
  }

  async updateRun(runId: string, u: { status?: string | undefined; endTime?: number | undefined; runName?: string | undefined }): Promise<WireRun> {
    const id = await this.tx(async (c) => {
      const r = await this.activeRun(c, runId)
      const now = Date.now()
      if (u.status !== undefined) {
        const status = fromMlflowStatus(u.status)
        const final = status === 'COMPLETE' || status === 'FAILED' || status === 'KILLED'
        await rows.pgSetStatus(c, r.id, status, now)
        if (final && u.endTime !== undefined) await rows.pgSetRunTimes(c, r.id, { endedAt: u.endTime })
      }
      if (u.runName) await rows.pgSetTags(c, r.id, [['mlflow.runName', checkTagValue('mlflow.runName', u.runName)]], now)
      return r.id
    })
    return this.wireRun(id)
  }

  async setRunDeleted(runId: string, deleted: boolean): Promise<void> {
    await this.tx(async (c) => {
      const r = await this.run(c, runId, true)
      if (deleted !== (r.deleted_at !== null)) {
        if (!deleted && (await c.query('SELECT 1 FROM experiments WHERE name = $1 AND deleted_at IS NULL AND id <> $2', [r.name, r.id])).rowCount)
          throw new MlflowApiError('INVALID_PARAMETER_VALUE', `a live experiment is named "${r.name}"; rename it before restoring this run`)
        await rows.pgSetTrashed(c, r.id, deleted, Date.now())
      }
    })
  }

  async logBatch(runId: string, b: MlflowBatch): Promise<void> {
    const tags = b.tags.map((t) => [checkKey('tag key', t.key), checkTagValue(t.key, t.value)] as const)
    await this.tx(async (c) => {
      const r = await this.activeRun(c, runId)
      const now = Date.now()
      if (b.params.length > 0) {
        const old = await rows.pgParams(c, r.id)
        const fresh = new Map<string, string>()
        for (const p of b.params) {
          const stored = old.get(p.key)
          const had = stored === undefined ? undefined : (JSON.parse(stored) as Json)
          if (had !== undefined && paramText(had) !== p.value) throw paramChanged(p.key, had, p.value, runId)
          const again = fresh.get(p.key)
          if (again !== undefined && again !== p.value) throw paramChanged(p.key, again, p.value, runId)
          if (had === undefined) fresh.set(p.key, p.value)
        }
        const entries = [...fresh].map(([k, v]) => [checkKey('param key', k), toJsonValue(k, v)] as const)
        await rows.pgInsertParams(c, r.id, entries, now)
      }
      if (tags.length > 0) await rows.pgSetTags(c, r.id, tags, now)
      if (b.params.length > 0 || tags.length > 0) {
        const n = await rows.pgRowCounts(c, r.id)
        checkRowCount(n.params, 'params', r.name)
        checkRowCount(n.tags, 'tags', r.name)
      }
      // A metric equal in key, timestamp, step and value to one logged already is
      // not logged again (MLflow's primary key), so a client's retry doubles nothing.
      const seen = new Set<string>()
      const fresh = b.metrics
        .map((m) => ({ ...parseSeriesKey(m.key), step: m.step, value: m.value, time: m.timestamp }))
        .filter((p) => seen.size < seen.add(JSON.stringify([p.name, p.split, p.step, p.time, String(p.value)])).size)
      const stored = await rows.pgExistingPoints(c, r.id, fresh)
      const points = fresh.filter((_, i) => !stored.has(i))
      if (points.length > 0) await rows.pgLogPoints(c, r.id, points, now)
    })
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.tx(async (c) => {
      const r = await this.activeRun(c, runId)
      if ((await rows.pgDeleteTag(c, r.id, key)) === 0) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`)
    })
  }

  async logInputs(runId: string, datasets: unknown[], models: unknown[]): Promise<void> {
    await this.tx(async (c) => {
      const r = await this.activeRun(c, runId)
      for (const d of datasets) await rows.pgAddInput(c, r.id, 'dataset', JSON.stringify(d))
      for (const m of models) await rows.pgAddInput(c, r.id, 'model_input', JSON.stringify(m))
    })
  }

  async logOutputs(runId: string, models: unknown[]): Promise<void> {
    await this.tx(async (c) => {
      const r = await this.activeRun(c, runId)
      for (const m of models) await rows.pgAddInput(c, r.id, 'model_output', JSON.stringify(m))
    })
  }

  async metricHistory(runId: string, key: string): Promise<WireMetric[]> {
    const { name, split } = parseSeriesKey(key)
    const points = await this.read(async (q) => rows.pgPoints(q, (await this.run(q, runId)).id, name, split))
    return points.map((p) => ({ key, value: p.value, timestamp: p.time, step: p.step }))
  }

  async searchRuns(experimentIds: readonly string[], view: ViewType): Promise<WireRun[]> {
    const ids = await this.read(async (q) => {
      const projects = new Set<number>()
      for (const id of experimentIds) {
        const p = id === '0' ? await rows.pgProjectByName(q, DEFAULT_PROJECT) : await rows.pgProject(q, Number(projectIdOf(id) ?? 0))
        if (p) projects.add(p.id)
      }
      return rows.pgExperimentIds(q, [...projects], view === 'ACTIVE_ONLY' ? 'live' : view === 'DELETED_ONLY' ? 'deleted' : 'all')
    })
    return this.wireRuns(ids)
  }

  private async wireRun(id: number): Promise<WireRun> {
    const [run] = await this.wireRuns([id])
    if (!run) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run ${id} not found`)
    return run
  }

  /** Runs by experiment id, in that order: the store's listing (live, then trashed) with MLflow's fields. */
  private async wireRuns(ids: number[]): Promise<WireRun[]> {
    if (ids.length === 0) return []
    const live = await this.store.listExperiments({ ids })
    const trashed = live.length === ids.length ? [] : await this.store.listExperiments({ ids, trashed: true })
    const byId = new Map<number, ExperimentSummary>([...live, ...trashed].map((e) => [e.id, e]))
    const [meta, inputs, projects] = await this.read((q) => Promise.all([rows.pgRuns(q, ids), rows.pgInputs(q, ids), rows.pgProjects(q)]))
    const byName = new Map(projects.map((p) => [p.name, p]))
    const out: WireRun[] = []
    for (const id of ids) {
      const e = byId.get(id)
      if (e) out.push(toWireRun(e, meta.get(id), byName.get(e.project), inputs.get(id) ?? []))
    }
    return out
  }

  // ------------------------------------------------------------ artifacts

  /** Records a file on the server's disk as a file of an experiment, once per path. */
  private async recordFile(experimentId: number, path: string, kind: string, meta: Record<string, Json>): Promise<void> {
    const st = statFile(path)
    const sha = sha256File(st.path)
    await this.tx(async (c) => {
      await lockExperiments(c, [experimentId])
      if ((await rows.pgFilePaths(c, experimentId)).has(st.path)) return
      const file = { path: st.path, kind, step: null, size: st.size, mtime: st.mtime, sha256: sha, meta: null }
      await rows.pgAddFile(c, experimentId, file, toJsonValue('meta', meta, 'file meta'), Date.now())
    })
  }

  async recordArtifact(runId: string, path: string, artifactPath: string): Promise<void> {
    const r = await this.read((q) => rows.pgExperimentOfRun(q, runId))
    if (!r || r.deleted_at !== null) return
    await this.recordFile(r.id, path, artifactKind(path), { mlflowArtifact: artifactPath })
  }

  async recordModelArtifact(modelId: string, path: string, artifactPath: string): Promise<void> {
    const row = await this.read((q) => rows.pgLoggedModel(q, modelId))
    if (!row || row.experiment_id === null) return
    const live = await this.read((q) => q.query('SELECT 1 FROM experiments WHERE id = $1 AND deleted_at IS NULL', [row.experiment_id]))
    if (!live.rowCount) return
    await this.recordFile(row.experiment_id, path, 'model', { mlflowLoggedModel: modelId, mlflowArtifact: artifactPath })
  }

  // ------------------------------------------------------------ logged models (MLflow 3)

  async createLoggedModel(m: NewLoggedModel): Promise<WireLoggedModel> {
    return this.tx(async (c) => {
      const p = await this.project(c, m.experimentId)
      const run = m.sourceRunId ? await this.activeRun(c, m.sourceRunId) : undefined
      const modelId = `m-${newRunId(randomUUID())}`
      const now = Date.now()
      const model = newLoggedModel(p, m, modelId, now)
      await rows.pgPutLoggedModel(c, modelId, p.id, run?.id ?? null, now, JSON.stringify(model))
      return model
    })
  }

  async getLoggedModel(modelId: string): Promise<WireLoggedModel> {
    const row = await this.read((q) => rows.pgLoggedModel(q, modelId))
    if (!row) throw noLoggedModel(modelId)
    return JSON.parse(row.body) as WireLoggedModel
  }

  async updateLoggedModel(modelId: string, change: (m: WireLoggedModel) => void): Promise<WireLoggedModel> {
    return this.tx(async (c) => {
      const row = await rows.pgLoggedModel(c, modelId, true)
      if (!row) throw noLoggedModel(modelId)
      const m = JSON.parse(row.body) as WireLoggedModel
      change(m)
      m.info.last_updated_timestamp_ms = Date.now()
      await rows.pgPutLoggedModel(c, modelId, row.project_id, row.experiment_id, m.info.creation_timestamp_ms, JSON.stringify(m))
      return m
    })
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    if ((await this.tx((c) => rows.pgDeleteLoggedModel(c, modelId))) === 0) throw noLoggedModel(modelId)
  }

  async searchLoggedModels(experimentIds: readonly string[]): Promise<WireLoggedModel[]> {
    const bodies = await this.read(async (q) => {
      const ids: number[] = []
      for (const id of experimentIds) {
        const n = projectIdOf(id)
        const p = id === '0' ? await rows.pgProjectByName(q, DEFAULT_PROJECT) : n === undefined ? undefined : await rows.pgProject(q, n)
        if (p) ids.push(p.id)
      }
      return rows.pgLoggedModels(q, ids)
    })
    return bodies.map((b) => JSON.parse(b) as WireLoggedModel)
  }
}
