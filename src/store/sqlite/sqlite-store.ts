import type { Statement } from 'better-sqlite3'
import { Database } from '../../api/database.js'
import { checkKind } from '../../api/files.js'
import { checkExpName, checkListOptions, checkProjectName, checkStatus, toJsonValue } from '../../api/validate.js'
import { MldbError, NotFoundError, ValidationError } from '../../errors.js'
import { parseSeriesKey } from '../../query/filter.js'
import { changedExperiments } from '../changes.js'
import type { Bucket, DownsampleOptions } from '../downsample.js'
import { ExperimentRows } from '../experiment-rows.js'
import type { ListOptions } from '../experiments.js'
import { listExperimentsJson } from '../experiments-json.js'
import { FileRows, fileFromRow } from '../file-rows.js'
import { type Point, type PointWriter, pointWriter } from '../points.js'
import { listProjectActivity, type ProjectActivity } from '../project-activity.js'
import { listProjects } from '../projects.js'
import { groupPoints } from '../remote-points.js'
import { firstStepWithValue, liveSeriesNames } from '../series-lookup.js'
import { SeriesRows } from '../series-rows.js'
import type { NewRemoteExperiment, RemoteFile, RemotePoint, Store, StoredExperiment, TokenInfo, WriteId, WriteResult } from '../store.js'
import type { ExperimentSummary, FileRecord, Json, SeriesSummary } from '../types.js'
import { SqliteRegistryStore, SqliteSweepStore } from './sqlite-registry-sweeps.js'

/** Statuses that start the clock, and those that stop it (as Database.setExpStatus). */
export const ACTIVE: ReadonlySet<string> = new Set(['TRAINING', 'VALIDATING'])
export const FINAL: ReadonlySet<string> = new Set(['COMPLETE', 'FAILED', 'KILLED', 'PRUNED'])

/**
 * The Store on one SQLite file, over the local synchronous Database: the same
 * SQL as every local client, so a file served by `mldb server` is the file
 * `mldb ls` reads. Each write runs in one BEGIN IMMEDIATE with the row of its
 * WriteId (Database joins a transaction already open).
 *
 * @example
 * const store = new SqliteStore('runs.db')
 * await store.setStatus({ client: 'c1', seq: 1 }, 'exp1', 'COMPLETE')
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite'
  readonly location: string
  /** the local API this store wraps (the read API and dashboard share it) */
  readonly db: Database
  private readonly files: FileRows
  private readonly rows: ExperimentRows
  private readonly series: SeriesRows
  private readonly writer: PointWriter
  private readonly claim: Statement
  /** the registry and sweeps (src/store/sqlite/sqlite-registry-sweeps.ts) */
  readonly registry: SqliteRegistryStore
  readonly sweeps: SqliteSweepStore

  /** A path (undefined: the usual lookup), or a Database already open. */
  constructor(pathOrDb: string | undefined | Database) {
    this.db = pathOrDb instanceof Database ? pathOrDb : new Database({ path: pathOrDb, server: '' })
    this.location = this.db.path
    this.files = new FileRows(this.db.sqlite)
    this.rows = new ExperimentRows(this.db.sqlite)
    this.series = new SeriesRows(this.db.sqlite)
    // the connection's one writer, shared with the Database: it knows which series have open tails
    this.writer = pointWriter(this.db.sqlite)
    this.claim = this.db.sqlite.prepare('INSERT OR IGNORE INTO server_writes (client, seq, time) VALUES (?, ?, ?)')
    this.registry = new SqliteRegistryStore(this.db)
    this.sweeps = new SqliteSweepStore(this.db)
  }

  /** Runs fn in one immediate transaction together with the claim of the write id. */
  private write<T>(id: WriteId, fn: () => T): WriteResult & { value: T | undefined } {
    const sqlite = this.db.sqlite
    return sqlite
      .transaction(() => {
        const claimed = this.claim.run(id.client, id.seq, Date.now())
        if (claimed.changes === 0) return { duplicate: true, value: undefined }
        return { duplicate: false, value: fn() }
      })
      .immediate()
  }

  private plain(id: WriteId, fn: () => void): Promise<WriteResult> {
    return Promise.resolve().then(() => {
      const { duplicate } = this.write(id, fn)
      return { duplicate }
    })
  }

  createExperiment(id: WriteId, e: NewRemoteExperiment): Promise<WriteResult> {
    return this.plain(id, () => {
      const sqlite = this.db.sqlite
      const existed = sqlite.prepare('SELECT 1 FROM experiments WHERE name = ?').get(e.name) !== undefined
      if (existed) return
      // ExperimentRows, not Database.setExpStatus: that one keeps the experiment
      // alive from a timer in this process, and the server is not the trainer.
      const status = checkStatus(e.status ?? 'TRAINING')
      const now = Date.now()
      const projectId = this.rows.projectId(checkProjectName(e.project ?? 'default'), now)
      sqlite
        .prepare(
          `INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        // host and pid: the client's machine, not the server's
        .run(e.name, projectId, status, now, ACTIVE.has(status) ? now : null, FINAL.has(status) ? now : null, now, now, e.host ?? null, e.pid ?? null)
      if (e.params && Object.keys(e.params).length) this.db.setParams(e.name, e.params)
      if (e.tags && Object.keys(e.tags).length) this.db.setTags(e.name, e.tags)
    })
  }

  /** The id of a live experiment, or a NotFoundError (the write API never creates one implicitly). */
  private mustExist(name: string): number {
    const id = this.rows.liveId(checkExpName(name))
    if (id === undefined) throw new NotFoundError(`no experiment named "${name}"; create it first (POST /api/experiments)`, 'experiment', name)
    return id
  }

  setStatus(id: WriteId, name: string, status: string): Promise<WriteResult> {
    return this.plain(id, () => {
      const expId = this.mustExist(name)
      const st = checkStatus(status)
      this.rows.setStatus(expId, st, Date.now(), ACTIVE.has(st), FINAL.has(st))
    })
  }

  setParams(id: WriteId, name: string, params: Record<string, Json>): Promise<WriteResult> {
    return this.plain(id, () => {
      this.mustExist(name)
      this.db.setParams(name, params)
    })
  }

  setTags(id: WriteId, name: string, tags: Record<string, string>): Promise<WriteResult> {
    return this.plain(id, () => {
      this.mustExist(name)
      this.db.setTags(name, tags)
    })
  }

  setNotes(id: WriteId, name: string, notes: string): Promise<WriteResult> {
    return this.plain(id, () => this.db.setNotes(name, notes))
  }

  async logPoints(id: WriteId, name: string, points: readonly RemotePoint[]): Promise<WriteResult> {
    const groups = groupPoints(points)
    return await this.plain(id, () => {
      // PointWriter directly: Database.logBatch inside a transaction it did not
      // open drops its id caches on every call, which costs a third of a batch.
      const expId = this.mustExist(name)
      for (const g of groups.values()) this.writer.writeMany(this.series.ensure(expId, g.name, g.split), g.points)
      this.rows.heartbeatAndTouch(expId, Date.now())
    })
  }

  addFile(id: WriteId, name: string, file: RemoteFile): Promise<WriteResult & { file: FileRecord | undefined }> {
    return Promise.resolve().then(() => {
      const r = this.write(id, () => {
        const expId = this.mustExist(name)
        const row = this.files.insert(expId, {
          path: file.path,
          kind: checkKind(file.kind),
          step: file.step,
          size: file.size,
          mtime: file.mtime,
          sha256: file.sha256,
          // the same size and depth limits as every stored JSON value
          meta: file.meta === null ? null : toJsonValue('meta', file.meta, 'file meta'),
          createdAt: Date.now(),
        })
        this.db.sqlite.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(Date.now(), expId)
        return fileFromRow({ ...row, experiment: name })
      })
      return { duplicate: r.duplicate, file: r.value }
    })
  }

  async listExperiments(options: ListOptions): Promise<ExperimentSummary[]> {
    return this.db.listExperiments(options)
  }

  async listExperimentsJson(options: ListOptions): Promise<{ json: string; count: number }> {
    if (this.db.isClosed) throw new MldbError(`the database ${this.location} is closed`)
    checkListOptions('listExperiments', options)
    return listExperimentsJson(this.db.sqlite, options)
  }

  async changedSince(since: number, now: number): Promise<{ ids: number[]; trashed: string[] }> {
    return changedExperiments(this.db.sqlite, since, now)
  }

  async countExperiments(options: ListOptions): Promise<number> {
    return this.db.countExperiments(options)
  }

  async getExperiment(name: string): Promise<StoredExperiment> {
    return this.db.getExperiment(name)
  }

  async getSeries(name: string): Promise<SeriesSummary[]> {
    return this.db.getSeries(name)
  }

  async getPoints(name: string, series: string, options: { afterStep?: number; limit?: number } = {}): Promise<Point[]> {
    const { name: metric, split } = parseSeriesKey(series)
    return this.db.getMetricValues(name, metric, { split, afterStep: options.afterStep, limit: options.limit ?? 100_000 })
  }

  async downsample(name: string, series: string, options: DownsampleOptions = {}): Promise<Bucket[]> {
    return this.db.downsample(name, series, options)
  }

  async listProjectActivity(): Promise<ProjectActivity[]> {
    return listProjectActivity(this.db.sqlite)
  }

  async listProjects(): Promise<{ name: string; experiments: number }[]> {
    return listProjects(this.db.sqlite).map((p) => ({ name: p.name, experiments: p.count }))
  }

  async getFile(id: number): Promise<FileRecord | undefined> {
    return this.db.getFileById(id)
  }

  async createToken(name: string, hash: string, readOnly: boolean): Promise<void> {
    const r = this.db.sqlite
      .prepare('INSERT OR IGNORE INTO tokens (name, hash, read_only, created_at) VALUES (?, ?, ?, ?)')
      .run(name, hash, readOnly ? 1 : 0, Date.now())
    if (r.changes === 0) throw new ValidationError(`a token named "${name}" exists; revoke it first (mldb token revoke ${name}) or pick another name`, 'name')
  }

  async listTokens(): Promise<TokenInfo[]> {
    const rows = this.db.sqlite.prepare('SELECT name, read_only, created_at FROM tokens ORDER BY name').all() as {
      name: string
      read_only: number
      created_at: number
    }[]
    return rows.map((r) => ({ name: r.name, readOnly: r.read_only === 1, createdAt: r.created_at }))
  }

  async revokeToken(name: string): Promise<boolean> {
    return this.db.sqlite.prepare('DELETE FROM tokens WHERE name = ?').run(name).changes > 0
  }

  async tokenHashes(): Promise<{ name: string; hash: string; readOnly: boolean }[]> {
    const rows = this.db.sqlite.prepare('SELECT name, hash, read_only FROM tokens').all() as { name: string; hash: string; read_only: number }[]
    return rows.map((r) => ({ name: r.name, hash: r.hash, readOnly: r.read_only === 1 }))
  }

  async addArtifact(sha256: string, size: number): Promise<void> {
    this.db.sqlite.prepare('INSERT OR IGNORE INTO artifacts (sha256, size, created_at) VALUES (?, ?, ?)').run(sha256, size, Date.now())
  }

  async artifactSize(sha256: string): Promise<number | undefined> {
    return (this.db.sqlite.prepare('SELECT size FROM artifacts WHERE sha256 = ?').get(sha256) as { size: number } | undefined)?.size
  }

  async version(): Promise<number> {
    return this.db.sqlite.pragma('user_version', { simple: true }) as number
  }

  async close(): Promise<void> {
    this.db.close()
  }

  async liveSeriesNames(): Promise<{ name: string; split: string }[]> {
    return liveSeriesNames(this.db.sqlite)
  }

  async firstStepWithValue(name: string, series: string, value: number): Promise<number | null> {
    const s = parseSeriesKey(series)
    return firstStepWithValue(this.db.sqlite, name, s.name, s.split, value)
  }
}
