import { hostname } from 'node:os'
import type { Statement } from 'better-sqlite3'
import { resolveDbPath } from '../config.js'
import { DatabaseBusyError, DatabaseError, MldbError, NotFoundError, ValidationError } from '../errors.js'
import { compileFilter, isBlankFilter, parseSeriesKey, seriesField } from '../query/filter.js'
import { Registry } from '../registry/registry.js'
import { type RegistryApi, routedRegistry } from '../registry/routed-registry.js'
import type { AliasChange, ModelCheck, ModelVersion, RegisteredModel, RegisterModelOptions } from '../registry/types.js'
import { busySeconds, openSqlite, type Sqlite } from '../store/connection.js'
import { prepareAllowingDoubleQuotedStrings } from '../store/double-quoted-strings.js'
import { type Bucket, type DownsampleOptions, downsample } from '../store/downsample.js'
import { ExperimentRows } from '../store/experiment-rows.js'
import { countExperiments, type ListOptions, listExperiments, seriesFromRow } from '../store/experiments.js'
import { fieldNames } from '../store/field-names.js'
import { FileRows, fileFromRow } from '../store/file-rows.js'
import { countRows } from '../store/limit-counts.js'
import { ParamRows } from '../store/param-rows.js'
import { foldTails, fromSql, type NewPoint, type Point, type PointWriter, pointWriter } from '../store/points.js'
import { firstStepWithValue } from '../store/series-lookup.js'
import { SeriesRows } from '../store/series-rows.js'
import { mapSqliteErrors, sqliteError } from '../store/sqlite-errors.js'
import { BEFORE_FIRST_STEP } from '../store/steps.js'
import { decodeStoredJson } from '../store/stored-json.js'
import type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from '../store/types.js'
import { WalGuard } from '../store/wal-guard.js'
import { createSweep, getSweep, listSweeps, type Sweep, type SweepSummary } from '../sweep/sweep.js'
import { type SyncOptions, startSyncFor } from '../sync/start.js'
import { type BestFiles, pickBestFiles } from './best-files.js'
import { checkDirections, configuredDirections, type Direction, type Directions, seriesDirection } from './direction.js'
import { checkDurability, configuredDurability, type Durability, SYNCHRONOUS } from './durability.js'
import { firstFreeName } from './exp-name.js'
import { ACTIVE, ExperimentWrites, FINAL } from './experiment-writes.js'
import { checkKind, type FileKind, fileProblem, sha256File, statFile } from './files.js'
import { Heartbeats } from './heartbeats.js'
import { IdCache } from './id-cache.js'
import { type HistogramInput, type ImageInput, logHistogram, logImage, logTable, type TableInput } from './media.js'
import { Run, type StartRunOptions } from './run.js'
import {
  checkExpName,
  checkKey,
  checkListOptions,
  checkOptions,
  checkProjectName,
  checkRecord,
  checkRowCount,
  checkSeriesKey,
  checkSeriesName,
  checkSplit,
  checkStatus,
  checkStep,
  checkTagValue,
  checkValue,
  describe,
  describeError,
  type FieldCheck,
  optAny,
  optBool,
  optFinite,
  optInt,
  optStepCursor,
  optString,
  seriesParts,
  toJsonValue,
} from './validate.js'
import { checkUnicode } from './validate-text.js'
import { WriteTransactions } from './write-transactions.js'

/** registerModel's options, each read once under checkOptions so a field whose read throws is a ValidationError; the registry checks their values. */
const REGISTER_FIELDS: Record<keyof RegisterModelOptions, FieldCheck> = {
  exp: optAny,
  file: optAny,
  best: optAny,
  goal: optAny,
  where: optAny,
  project: optAny,
  aliases: optAny,
  description: optAny,
  tags: optAny,
}

/** Options for `new Database()`. */
/** With a team server (`server`/`token`, MLDB_SERVER/MLDB_TOKEN or the config file) a background sender pushes the file to it (src/sync). */
export interface DatabaseOptions extends SyncOptions {
  /** the SQLite file; otherwise CONFIG.db_path, MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db */
  path?: string
  /** open without writing (the file must exist) */
  readonly?: boolean
  /** which way series are optimised, by key or name (`{ 'valid/score': 'max' }`); wins over the config file's `directions` */
  directions?: Directions
  /** how long one attempt waits for another process's lock, in ms (default 10,000; a call retries 5 times before DatabaseBusyError) */
  busyTimeoutMs?: number
  /**
   * what a returned write survives: `'process'` (default; kill -9 and crashes, synchronous=NORMAL)
   * or `'power'` (a power cut too, synchronous=FULL: an fsync per commit); wins over the config file's `durability`
   */
  durability?: Durability
  /**
   * the time, in ms since 1970, that this connection writes (created, updated,
   * heartbeat and point times) and judges LOST by; `Date.now` unless given.
   * Tests pass their own to move time on instead of editing the file's columns.
   */
  clock?: () => number
}

/** A value for `logBatch`. */
export interface BatchPoint {
  name: string
  split?: string
  step: number
  value: number
  /** wall time in ms; defaults to now */
  time?: number
}

/** Options for `addFile`. */
export interface AddFileOptions {
  kind?: FileKind
  step?: number
  /** compute and store the sha256 (reads the whole file) */
  hash?: boolean
  meta?: Record<string, Json>
}

/** A recorded file that is no longer what was recorded. */
export interface FileCheck extends FileRecord {
  problem: 'missing' | 'changed'
}

/** Everything about one experiment, as `mldb show` and the experiment page need. */
export interface ExperimentDetail extends ExperimentSummary {
  statusHistory: StatusChange[]
  files: FileRecord[]
}

/**
 * The model database: one SQLite file, safe for many processes at once.
 * Every write is its own short transaction and is durable when the call returns.
 *
 * @example
 * using db = new Database()
 * db.setExpStatus('20260803_091702_TestModel', 'TRAINING')
 * db.addLossValue('20260803_091702_TestModel', 'train', 0, 0.93)
 */
export class Database {
  /** the absolute path of the SQLite file */
  readonly path: string
  /** the better-sqlite3 connection, for what the API does not cover */
  readonly sqlite: Sqlite
  private readonly writer: PointWriter | undefined
  /** checkpoints the -wal when sustained writing has grown it past its limit */
  private readonly walGuard: WalGuard | undefined
  /** ids of experiments and series this connection writes to, and each series' points past its last block */
  private readonly ids = new IdCache()
  /** when this connection last beat each experiment, and the timers of those it holds active */
  private readonly heartbeats: Heartbeats
  /** the write helpers (experiment-writes.ts): ids found or created, points, logging's heartbeat */
  private readonly writes: ExperimentWrites
  /** the write transactions (undefined when opened read-only) */
  private readonly txs: WriteTransactions | undefined
  // The SQL lives in src/store; each of these prepares its statements once, on first use.
  private readonly expRows: ExperimentRows
  private readonly seriesRows: SeriesRows
  private readonly paramRows: ParamRows
  private readonly fileRows: FileRows
  /** the local registry, or the team server's when one is configured (src/registry/routed-registry.ts) */
  private readonly registry: RegistryApi
  private closed = false
  /** the background sender to a team server, when one is configured */
  private readonly sync: { close(): void } | undefined
  /** what a returned write survives: `'process'` (kill -9) or `'power'` (a power cut too) */
  readonly durability: Durability
  /** @internal how long one attempt waits for a lock, for the message of DatabaseBusyError */
  readonly busyTimeoutMs: number
  private readonly directions: Directions
  /** the connection's clock (options.clock, else Date.now) */
  private readonly now: () => number

  constructor(options: DatabaseOptions = {}) {
    checkOptions('new Database', options, {
      path: optString,
      readonly: optBool,
      busyTimeoutMs: optInt(0),
      directions: optAny,
      server: optString,
      token: optString,
      syncWaitMs: optInt(0),
      maxUploadBytes: optInt(0),
      durability: optAny,
      clock: optAny,
    })
    if (options.clock !== undefined && typeof options.clock !== 'function')
      throw new ValidationError(`options.clock must be a function returning ms since 1970, got ${describe(options.clock)}`, 'clock')
    const clock = options.clock
    this.now = clock ? () => Math.trunc(clock()) : Date.now
    this.path = resolveDbPath(options.path).path
    this.directions = checkDirections(options.directions, 'options.directions')
    this.busyTimeoutMs = options.busyTimeoutMs ?? 10_000
    this.durability = options.durability === undefined ? configuredDurability() : checkDurability(options.durability, 'options.durability')
    this.sqlite = openSqlite(this.path, { readonly: options.readonly ?? false, busyTimeoutMs: this.busyTimeoutMs })
    // A per-connection setting, not stored in the file: each writer chooses what its commits survive.
    if (this.durability === 'power') this.sqlite.pragma(`synchronous = ${SYNCHRONOUS.power}`)
    this.writer = options.readonly ? undefined : pointWriter(this.sqlite)
    this.walGuard = options.readonly ? undefined : new WalGuard(this.sqlite, this.path, this.busyTimeoutMs)
    this.txs = options.readonly
      ? undefined
      : new WriteTransactions(
          this.sqlite,
          () => this.ids.forget(),
          () => this.walGuard?.afterCommit(),
        )
    this.heartbeats = new Heartbeats((name) => this.timerBeat(name))
    this.expRows = new ExperimentRows(this.sqlite)
    this.seriesRows = new SeriesRows(this.sqlite)
    this.paramRows = new ParamRows(this.sqlite)
    this.writes = new ExperimentWrites({
      writer: this.writer,
      ids: this.ids,
      heartbeats: this.heartbeats,
      expRows: this.expRows,
      seriesRows: this.seriesRows,
      now: this.now,
      write: (fn) => this.write(fn),
      canAppend: () => !this.closed && !this.sqlite.inTransaction,
      afterCommit: () => this.walGuard?.afterCommit(),
    })
    this.fileRows = new FileRows(this.sqlite)
    const localRegistry = new Registry({
      sqlite: this.sqlite,
      path: this.path,
      assertOpen: () => this.open(),
      write: (fn) => this.write(fn),
      experimentId: (name) => this.expId(name),
      bestExperiment: (series, goal, o) => this.bestExperiment(series, goal, o)?.name,
    })
    this.registry = routedRegistry(localRegistry, options, this.path)
    this.sync = options.readonly || this.path === ':memory:' ? undefined : startSyncFor(this.path, options)
  }

  private open(): void {
    if (this.closed) throw new MldbError(`the database ${this.path} is closed; open a new Database`)
  }

  /** Runs fn as one write call (write-transactions.ts: its own transaction, or a savepoint of the caller's). */
  private write<T>(fn: () => T): T {
    this.open()
    if (!this.txs) throw new MldbError(`${this.path} was opened read-only; open it without { readonly: true } to write`)
    return this.txs.write(fn)
  }

  /**
   * Runs `fn` as one write transaction: the write calls inside it (and SQL run
   * on db.sqlite) all land when it returns, or none when it throws. A call
   * inside is a savepoint: if it is refused (a ValidationError, say) and `fn`
   * catches that, its own rows are undone and the rest goes on. Nested
   * transactions are savepoints too. `fn` must be synchronous. A logged value
   * is durable once the outermost transaction has committed.
   *
   * @example db.transaction(() => { db.setParams(exp, { lr: 0.1 }); db.logBatch(exp, points); db.setExpStatus(exp, 'COMPLETE') })
   */
  transaction<T>(fn: () => T): T {
    this.open()
    if (!this.txs) throw new MldbError(`${this.path} was opened read-only; open it without { readonly: true } to write`)
    return this.txs.transaction(fn)
  }

  // ---------------------------------------------------------------- experiments

  /** The id of an existing live experiment, or NotFoundError. Never cached: readers must see purges and trash. */
  private expId(exp: unknown): number {
    const name = checkExpName(exp)
    this.open()
    const id = this.expRows.liveId(name)
    if (id === undefined) throw new NotFoundError(`no experiment named "${name}" in ${this.path}; check the name with \`mldb ls\``, 'experiment', name)
    return id
  }

  /**
   * Sets the status, creating the experiment when new. Every change is kept
   * with its time in the status history.
   *
   * @example db.setExpStatus(exp, 'COMPLETE')
   */
  setExpStatus(exp: string, status: string, options: { project?: string } = {}): void {
    checkOptions('setExpStatus', options, { project: optAny })
    const name = checkExpName(exp)
    const st = checkStatus(status)
    const project = options.project === undefined ? 'default' : checkProjectName(options.project)
    this.write(() => {
      const id = this.writes.ensureExp(name, st, project)
      const now = this.now()
      this.writes.updated(this.expRows.setStatus(id, st, now, ACTIVE.has(st), FINAL.has(st)))
      this.heartbeats.wrote(id, now)
    })
    if (ACTIVE.has(st)) this.keepBeating(name)
    else this.stopBeating(name)
  }

  /**
   * @internal While this connection holds an experiment in an active status,
   * beat its heartbeat every 15 s (or `everyMs`, a Run's period) from a timer,
   * so a seed-style script (no Run) whose epochs take minutes does not read
   * LOST between two logged values. One timer per experiment, whoever asks
   * (setExpStatus, a Run); it stops on a final status, on close, or once the
   * experiment is gone.
   */
  keepBeating(name: string, everyMs?: number): void {
    this.heartbeats.keep(name, everyMs)
  }

  /** @internal Stops the timer keepBeating started for `name`, if any. */
  stopBeating(name: string): void {
    this.heartbeats.stop(name)
  }

  /** One beat of a timer: false stops it (closed, purged or trashed); a busy moment tries again next time. */
  private timerBeat(name: string): boolean {
    if (this.closed) return false
    try {
      this.write(() => this.writes.updated(this.expRows.heartbeatByName(name, this.now())))
      return true
    } catch (e) {
      return e instanceof DatabaseBusyError
    }
  }

  /** The status, LOST when an active experiment's heartbeat is over a minute old. */
  getExpStatus(exp: string): string {
    const id = this.expId(exp)
    return this.expRows.derivedStatus(id, this.now())
  }

  /** Every status the experiment had, oldest first. */
  getStatusHistory(exp: string): StatusChange[] {
    const id = this.expId(exp)
    return this.expRows.statusHistory(id)
  }

  /** Marks the experiment alive now (a Run does this on a timer). */
  heartbeat(exp: string): void {
    const name = checkExpName(exp)
    this.write(() => {
      const id = this.writes.ensureExp(name)
      const now = this.now()
      this.writes.updated(this.expRows.heartbeat(id, now))
      this.heartbeats.wrote(id, now)
    })
  }

  // ---------------------------------------------------------------- points

  /**
   * Adds one value of the series (`name`, split). Durable when it returns.
   *
   * @example db.addMetricValue(exp, 'rmse', epoch, 0.12)
   * @example db.addMetricValue(exp, 'acc', epoch, 0.9, { split: 'valid' })
   */
  addMetricValue(exp: string, name: string, epoch: number, value: number, options: { split?: string } = {}): void {
    checkOptions('addMetricValue', options, { split: optAny })
    const e = checkExpName(exp)
    const [n, split] = seriesParts(checkSeriesName(name), checkSplit(options.split))
    const step = checkStep(epoch)
    const v = checkValue(n, value)
    if (this.writes.append(e, n, split, step, v)) return
    this.write(() => this.writes.logOne(e, n, split, step, v))
  }

  /**
   * Adds one loss value: the series (`loss`, split).
   *
   * @example db.addLossValue(exp, 'train', epoch, 0.31)
   */
  addLossValue(exp: string, split: string, epoch: number, value: number): void {
    this.addMetricValue(exp, 'loss', epoch, value, { split: checkSplit(split) })
  }

  /**
   * Many values in one transaction; the fast way to log.
   *
   * @example db.logBatch(exp, [{ name: 'loss', split: 'train', step: 0, value: 0.9 }])
   */
  logBatch(exp: string, points: readonly BatchPoint[]): void {
    const e = checkExpName(exp)
    if (!Array.isArray(points)) throw new ValidationError(`logBatch takes an array of points, got ${describe(points)}`, 'points')
    const now = this.now()
    // Validate everything before writing anything.
    const groups = new Map<string, { name: string; split: string; points: NewPoint[] }>()
    for (const p of points) {
      const [name, split] = seriesParts(checkSeriesName(p?.name), checkSplit(p.split))
      const step = checkStep(p.step)
      const value = checkValue(name, p.value)
      const time = p.time === undefined ? now : p.time
      if (typeof time !== 'number' || !Number.isFinite(time))
        throw new ValidationError(`time of "${name}" must be ms since 1970, got ${describe(time)}`, 'time')
      const key = `${name}\u0000${split}`
      let g = groups.get(key)
      if (!g) {
        g = { name, split, points: [] }
        groups.set(key, g)
      }
      g.points.push({ step, time: Math.trunc(time), value })
    }
    if (groups.size === 0) return
    this.write(() => this.writes.logMany(e, groups.values(), now))
  }

  private findSeries(exp: string, name: string, split: string): number {
    const id = this.expId(exp)
    const asWritten = checkSeriesName(name)
    const [n, s] = seriesParts(asWritten, checkSplit(split))
    // A split-less `a/b` logged before names were split (see seriesParts) is still found as written.
    const sid = this.seriesRows.find(id, n, s) ?? (n === asWritten ? undefined : this.seriesRows.find(id, asWritten, ''))
    if (sid === undefined) {
      const key = s ? `${s}/${n}` : n
      throw new NotFoundError(`experiment "${exp}" has no series "${key}"; see its series with \`mldb show ${exp}\``, 'series', key)
    }
    return sid
  }

  /**
   * The values of a series in step order (equal steps in the order logged).
   * `afterStep` returns only points past that step, for live updates.
   */
  getMetricValues(exp: string, name: string, options: { split?: string; afterStep?: number; limit?: number } = {}): Point[] {
    checkOptions('getMetricValues', options, { split: optAny, afterStep: optStepCursor, limit: optInt(0) })
    const sid = this.findSeries(exp, name, options.split ?? '')
    const rows = this.seriesRows.points(sid, options.afterStep ?? BEFORE_FIRST_STEP, options.limit ?? -1)
    return rows.map(([step, time, value]) => ({ step, time, value: fromSql(value) }))
  }

  /** The values of the series (`loss`, split). */
  getLossValues(exp: string, split: string): Point[] {
    return this.getMetricValues(exp, 'loss', { split })
  }

  /** Every series of the experiment with count, last, min and max. */
  getSeries(exp: string): SeriesSummary[] {
    const id = this.expId(exp)
    return this.seriesRows.summaries(id).map(seriesFromRow)
  }

  /**
   * Min/max/last per bucket of a series over a step range, for charts.
   * A 1,000,000-point series reads ~16k pre-summarised rows.
   *
   * @example db.downsample(exp, 'valid/loss', { buckets: 1000 })
   */
  downsample(exp: string, series: string, options: DownsampleOptions = {}): Bucket[] {
    checkSeriesKey('series', series)
    checkOptions('downsample', options, { from: optFinite, to: optFinite, buckets: optInt(1) })
    const { name, split } = parseSeriesKey(series)
    return downsample(this.sqlite, this.findSeries(exp, name, split), options)
  }

  // ---------------------------------------------------------------- params, tags, notes

  /**
   * Records hyperparameters (JSON values), once per key: writing a different
   * value to an existing key is a ValidationError; the same value is a no-op.
   *
   * @example db.setParams(exp, { lr: 0.01, hidden: [64, 64] })
   */
  setParams(exp: string, params: Record<string, unknown>): void {
    const e = checkExpName(exp)
    const entries = Object.entries(checkRecord('params', params)).map(([k, v]) => [checkKey('param key', k), toJsonValue(k, v)] as const)
    this.write(() => {
      const id = this.writes.ensureExp(e)
      for (const [k, v] of entries) {
        const old = this.paramRows.param(id, k)
        if (old !== undefined && !this.paramRows.sameValue(old, v)) {
          throw new ValidationError(`param "${k}" of "${e}" is already ${old}; params are written once, so start a new experiment to try ${v}`, k)
        }
      }
      for (const [k, v] of entries) this.paramRows.addParam(id, k, v)
      checkRowCount(countRows(this.sqlite, 'params', id), 'params', e)
      // updated_at tells live dashboards (/api/changes) that something changed.
      this.writes.updated(this.expRows.touch(id, this.now()))
    })
  }

  /** The hyperparameters as JSON values. */
  getParams(exp: string): Record<string, Json> {
    const id = this.expId(exp)
    const out: Record<string, Json> = {}
    for (const [k, v] of this.paramRows.params(id)) {
      out[k] = decodeStoredJson(v)
    }
    return out
  }

  /**
   * Sets tags (string values; may be changed later, unlike params).
   *
   * @example db.setTags(exp, { team: 'vision', dataset: 'iris-v2' })
   */
  setTags(exp: string, tags: Record<string, unknown>): void {
    const e = checkExpName(exp)
    const entries = Object.entries(checkRecord('tags', tags)).map(([k, v]) => [checkKey('tag key', k), checkTagValue(k, v)] as const)
    this.write(() => {
      const id = this.writes.ensureExp(e)
      for (const [k, v] of entries) this.paramRows.setTag(id, k, v)
      checkRowCount(countRows(this.sqlite, 'tags', id), 'tags', e)
      this.writes.updated(this.expRows.touch(id, this.now()))
    })
  }

  /** The tags. */
  getTags(exp: string): Record<string, string> {
    const id = this.expId(exp)
    return Object.fromEntries(this.paramRows.tags(id))
  }

  /** Replaces the free-text notes. */
  setNotes(exp: string, notes: string): void {
    if (typeof notes !== 'string') throw new ValidationError(`notes must be a string, got ${describe(notes)}`, 'notes')
    if (notes.length > 1_000_000) throw new ValidationError('notes are over 1,000,000 characters; keep long text in a file and addFile it', 'notes')
    checkUnicode('notes', 'notes', notes)
    this.write(() => {
      const now = this.now()
      this.writes.updated(this.expRows.setNotes(this.expId(exp), notes, now))
    })
  }

  /** The notes ('' when none). */
  getNotes(exp: string): string {
    const id = this.expId(exp)
    return this.expRows.notes(id)
  }

  // ---------------------------------------------------------------- files

  /**
   * Records a pointer to a file on disk: absolute path, size, mtime and, with
   * `hash: true`, its sha256. The file itself stays where it is.
   *
   * @example db.addFile(exp, `ckpt/${exp}-10.bin`, { kind: 'checkpoint', step: 10 })
   */
  addFile(exp: string, path: string, options: AddFileOptions = {}): FileRecord {
    checkOptions('addFile', options, { kind: optAny, step: optAny, hash: optBool, meta: optAny })
    const e = checkExpName(exp)
    const kind = checkKind(options.kind)
    const step = options.step === undefined ? null : checkStep(options.step)
    const meta = options.meta === undefined ? null : toJsonValue('meta', checkRecord('meta', options.meta), 'file meta')
    const st = statFile(path)
    const sha = options.hash ? sha256File(st.path) : null
    return this.write(() => {
      const id = this.writes.ensureExp(e)
      const row = this.fileRows.insert(id, { path: st.path, kind, step, size: st.size, mtime: st.mtime, sha256: sha, meta, createdAt: this.now() })
      return fileFromRow({ ...row, experiment: e })
    })
  }

  /**
   * Stores an image for one step under the experiment's artifact folder
   * (`<database folder>/artifacts/<exp>/media/<name>/<step>.png`) and records it as
   * an `image` file with meta `{ media: 'image', name, format, width, height }`.
   * Takes PNG/JPEG bytes, the path of a PNG/JPEG file (copied), or raw 8-bit pixels.
   *
   * @example db.logImage(exp, 'samples', epoch, readFileSync('grid.png'))
   */
  logImage(exp: string, name: string, step: number, image: ImageInput): FileRecord {
    return logImage(this, exp, name, step, image)
  }

  /**
   * Stores a table for one step as JSON (`{ columns, rows }`) or CSV under the
   * artifact folder, recorded as a `data` file with meta `{ media: 'table', ... }`.
   *
   * @example db.logTable(exp, 'predictions', epoch, [{ label: 'cat', score: 0.91 }])
   */
  logTable(exp: string, name: string, step: number, table: TableInput, options: { format?: 'json' | 'csv' } = {}): FileRecord {
    checkOptions('logTable', options, { format: optAny })
    return logTable(this, exp, name, step, table, options)
  }

  /**
   * Stores a histogram for one step (`{ edges, counts }` JSON; raw values are
   * binned into `bins` buckets, default 64) under the artifact folder, recorded as
   * a `data` file with meta `{ media: 'histogram', name, bins, total, min, max }`.
   *
   * @example db.logHistogram(exp, 'weights/fc1', epoch, Array.from(weights))
   */
  logHistogram(exp: string, name: string, step: number, values: HistogramInput, options: { bins?: number } = {}): FileRecord {
    checkOptions('logHistogram', options, { bins: optAny })
    return logHistogram(this, exp, name, step, values, options)
  }

  /** The files of an experiment, optionally of one kind, in the order recorded. */
  getFiles(exp: string, options: { kind?: string } = {}): FileRecord[] {
    checkOptions('getFiles', options, { kind: optAny })
    const id = this.expId(exp)
    const kind = options.kind === undefined ? undefined : checkKind(options.kind)
    return this.fileRows.ofExperiment(id, kind ?? null).map(fileFromRow)
  }

  /** A file record by its id, if the database points to it. */
  getFileById(fileId: number): FileRecord | undefined {
    optInt(0)(fileId, 'fileId')
    this.open()
    const row = this.fileRows.byId(fileId)
    return row && fileFromRow(row)
  }

  /**
   * Files that are missing or changed (size or mtime; sha256 too with
   * `{ hash: true }`) since they were recorded, for one experiment or all.
   */
  checkFiles(exp?: string, options: { hash?: boolean } = {}): FileCheck[] {
    checkOptions('checkFiles', options, { hash: optBool })
    this.open()
    const id = exp === undefined ? null : this.expId(exp)
    const rows = this.fileRows.ofLive(id)
    const out: FileCheck[] = []
    for (const r of rows) {
      const problem = fileProblem(r, options.hash ?? false)
      if (problem) out.push({ ...fileFromRow(r), problem })
    }
    return out
  }

  // ---------------------------------------------------------------- reading many

  /**
   * Experiments, newest first, with params, tags and each series' latest/min/max.
   * `where` takes the filter language:
   * `params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'`.
   *
   * @example db.listExperiments({ project: 'iris', where: 'min(metrics.valid/loss) < 0.2', orderBy: 'metrics.valid/acc desc', limit: 10 })
   */
  listExperiments(options: ListOptions = {}): ExperimentSummary[] {
    checkListOptions('listExperiments', options)
    this.open()
    return listExperiments(this.sqlite, options, this.now())
  }

  /** How many experiments match, without fetching them. */
  countExperiments(options: ListOptions = {}): number {
    checkListOptions('countExperiments', options)
    this.open()
    return countExperiments(this.sqlite, options, this.now())
  }

  /** One experiment with its status history and files. */
  getExperiment(exp: string): ExperimentDetail {
    const id = this.expId(exp)
    const [summary] = listExperiments(this.sqlite, { ids: [id] }, this.now())
    if (!summary) throw new NotFoundError(`no experiment named "${exp}"`, 'experiment', exp)
    return { ...summary, statusHistory: this.getStatusHistory(exp), files: this.getFiles(exp) }
  }

  /**
   * The direction series `key` is optimised in: this connection's `directions`
   * option, then the config file's `"directions"`, then the shared word list
   * (loss-like names min, accuracy-like max; docs/series-directions.json).
   *
   * @example db.seriesDirection('valid/acc') // 'max'
   */
  seriesDirection(key: string): Direction {
    checkSeriesKey('key', key)
    return seriesDirection(key, { ...configuredDirections(), ...this.directions })
  }

  /**
   * The experiment with the lowest (`min`) or highest (`max`) value ever reached
   * in a series, such as `valid/loss`; undefined when none has it. Without a
   * mode, the series' direction (seriesDirection) decides. Also says at which
   * step the best value was first reached, the model or checkpoint recorded at
   * or nearest before that step (`bestFile`), and the final model (`finalFile`).
   *
   * @example db.bestExperiment('valid/loss', 'min', { where: "status = 'COMPLETE'" })
   * @example db.bestExperiment('valid/acc')?.bestFile?.path // '/runs/a/checkpoint-0080.json'
   */
  bestExperiment(
    series: string,
    mode?: Direction,
    options: { where?: string; project?: string } = {},
  ): (ExperimentSummary & { best: number; mode: Direction; step: number | null } & BestFiles) | undefined {
    checkOptions('bestExperiment', options, { where: optString, project: optString })
    if (mode !== undefined && mode !== 'min' && mode !== 'max') throw new ValidationError(`mode must be 'min' or 'max', got ${describe(mode)}`, 'mode')
    if (typeof series !== 'string') throw new ValidationError(`series must be a string such as 'valid/loss', got ${describe(series)}`, 'series')
    const { name, split } = parseSeriesKey(series)
    checkSeriesName(name)
    checkSplit(split)
    const key = split ? `${split}/${name}` : name
    const dir = mode ?? this.seriesDirection(key)
    const agg = `${dir}(${seriesField(key)})`
    const own = typeof options.where === 'string' && !isBlankFilter(options.where)
    this.open()
    // The caller's filter alone first, so that its errors point at its own columns.
    if (own) compileFilter(options.where as string, fieldNames(this.sqlite))
    const where = own ? `(${options.where}) and ${agg} is not null` : `${agg} is not null`
    const [best] = this.listExperiments({ where, project: options.project, orderBy: `${agg} ${dir === 'min' ? 'asc' : 'desc'}`, limit: 1 })
    if (!best) return undefined
    const s = best.series[key] as SeriesSummary
    const value = dir === 'min' ? s.min : s.max
    const step = firstStepWithValue(this.sqlite, best.name, name, split, value)
    return { ...best, best: value, mode: dir, step, ...pickBestFiles(this.getFiles(best.name), step) }
  }

  /**
   * Raw SQL over the file (the seed's tables: STATUS, LOSS, METRICS, FILES),
   * rows as objects.
   *
   * @example db.query("SELECT EXP_ID FROM STATUS WHERE STATUS = ?", 'COMPLETE')
   */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
    this.open()
    if (typeof sql !== 'string' || sql.trim() === '') throw new ValidationError('query needs an SQL string', 'sql')
    let stmt: Statement
    try {
      // the seed's `STATUS="COMPLETE"` works as in Python (see store/double-quoted-strings.ts)
      stmt = prepareAllowingDoubleQuotedStrings(sql, (s) => this.sqlite.prepare(s))
    } catch (e) {
      throw new DatabaseError(`SQL error: ${(e as Error).message}`, sql, e)
    }
    try {
      if (stmt.reader) {
        // Bind first, so that a rejected call writes nothing; then fold open tails: raw SQL reads the series rows as they are.
        stmt.bind(...params)
        foldTails(this.sqlite)
        return stmt.all() as T[]
      }
      stmt.run(...params)
      return []
    } catch (e) {
      const mapped = sqliteError(e, this.path, { sql, busySeconds: busySeconds(this.busyTimeoutMs) })
      throw mapped !== e ? mapped : new DatabaseError(`SQL error: ${(e as Error).message}`, sql, e)
    }
  }

  // ---------------------------------------------------------------- trash

  /** Moves an experiment to the trash (kept, hidden from listings). */
  trashExperiment(exp: string): void {
    this.write(() => {
      const now = this.now()
      this.writes.updated(this.expRows.trash(this.expId(exp), now))
    })
    this.ids.forgetExperiment(exp)
  }

  /** Brings an experiment back from the trash. */
  restoreExperiment(exp: string): void {
    const name = checkExpName(exp)
    const changed = this.write(() => this.expRows.restore(name, this.now()))
    if (changed === 0) throw new NotFoundError(`no experiment named "${name}" in the trash; see it with \`mldb ls --trash\``, 'experiment', name)
  }

  /** Deletes an experiment and all its rows for good (files on disk stay). Returns its files. */
  purgeExperiment(exp: string): FileRecord[] {
    const name = checkExpName(exp)
    return this.write(() => {
      const id = this.expRows.anyId(name)
      if (id === undefined) throw new NotFoundError(`no experiment named "${name}"`, 'experiment', name)
      const files = this.fileRows.allOf(id).map(fileFromRow)
      this.expRows.purge(id)
      this.ids.forgetExperiment(name, id)
      return files
    })
  }

  // ---------------------------------------------------------------- model registry

  /**
   * Registers a new version of a model (created when new): one recorded file of
   * one experiment, with its sha256 (hashed now when the record has none), size,
   * the experiment's params and series summaries. Nothing is written on error.
   *
   * @example db.registerModel('iris-mlp', { exp, file: 'model.json', aliases: ['staging'] })
   * @example db.registerModel('iris-mlp', { best: 'valid/loss', goal: 'min', where: "status = 'COMPLETE'" })
   */
  registerModel(name: string, options: RegisterModelOptions): ModelVersion {
    checkOptions('registerModel', options, REGISTER_FIELDS)
    return this.registry.register(name, options)
  }

  /**
   * A model version by reference: 'name@alias', 'name/3', or 'name' (the latest).
   *
   * @example db.getModelVersion('iris-mlp@champion').path
   */
  getModelVersion(ref: string): ModelVersion {
    return this.registry.get(ref)
  }

  /**
   * Points an alias at a version in one transaction, recorded in the model's history.
   *
   * @example db.setModelAlias('iris-mlp', 'champion', 3)
   */
  setModelAlias(name: string, alias: string, version: number): void {
    this.registry.setAlias(name, alias, version)
  }

  /**
   * Removes an alias, recorded in the model's history.
   *
   * @example db.deleteModelAlias('iris-mlp', 'staging')
   */
  deleteModelAlias(name: string, alias: string): void {
    this.registry.deleteAlias(name, alias)
  }

  /**
   * Sets a model's description and merges tags into its tags.
   *
   * @example db.updateModel('iris-mlp', { description: 'the iris classifier', tags: { team: 'vision' } })
   */
  updateModel(name: string, options: { description?: string; tags?: Record<string, string> }): RegisteredModel {
    checkOptions('updateModel', options, { description: optAny, tags: optAny })
    return this.registry.update(name, options ?? {})
  }

  /**
   * Every registered model, by name, with its latest version and aliases.
   *
   * @example db.listModels().map((m) => m.name)
   */
  listModels(): RegisteredModel[] {
    return this.registry.list()
  }

  /**
   * The versions of a model (every model's without a name), oldest first; with
   * `{ exp }`, the versions registered from that experiment.
   *
   * @example db.listModelVersions('iris-mlp')
   * @example db.listModelVersions(undefined, { exp })
   */
  listModelVersions(name?: string, options: { exp?: string } = {}): ModelVersion[] {
    checkOptions('listModelVersions', options, { exp: optAny })
    if (options.exp !== undefined) return this.registry.versionsOfExperiment(options.exp).filter((v) => name === undefined || v.name === name)
    return this.registry.versions(name)
  }

  /**
   * Every move of the model's aliases (who, when, from, to), oldest first.
   *
   * @example db.getModelHistory('iris-mlp').filter((h) => h.alias === 'champion')
   */
  getModelHistory(name: string): AliasChange[] {
    return this.registry.history(name)
  }

  /**
   * Re-hashes a version's file: state 'ok', 'missing' or 'changed'.
   *
   * @example db.verifyModel('iris-mlp@champion').state === 'ok'
   */
  verifyModel(ref: string): ModelCheck {
    return this.registry.verify(ref)
  }

  /**
   * Re-hashes the files of every version (of one model, or of all models).
   *
   * @example db.verifyModels().filter((c) => c.state !== 'ok')
   */
  verifyModels(name?: string): ModelCheck[] {
    return this.registry.verifyAll(name)
  }

  // ---------------------------------------------------------------- runs

  /**
   * Starts a run: creates the experiment (TRAINING), records params, beats a
   * heartbeat, and marks it FAILED or KILLED if the process dies first.
   *
   * @example
   * const run = db.startRun({ name: expName('TestModel'), project: 'iris', params: { lr: 0.01 } })
   * run.log({ loss: 0.31, acc: 0.9 }, { step: 0, split: 'train' })
   * run.finish()
   */
  startRun(options: StartRunOptions = {}): Run {
    return new Run(this, options)
  }

  /**
   * @internal used by Run: creates the experiment with its params, tags and
   * notes in one transaction, so a rejected param leaves nothing behind.
   */
  createRun(
    exp: string,
    options: { project: string; status: string; params?: Record<string, unknown>; tags?: Record<string, unknown>; notes?: string; uniqueName?: boolean },
  ): string {
    const base = checkExpName(exp)
    const st = checkStatus(options.status)
    const p = checkProjectName(options.project)
    return this.write(() => {
      const taken = (n: string) => this.expRows.anyId(n) !== undefined
      // A default name (no name given) takes a free suffix; a name the caller chose must be new.
      const name = options.uniqueName ? firstFreeName(base, taken) : base
      if (!options.uniqueName && taken(name))
        throw new ValidationError(`an experiment named "${name}" already exists; a run needs a new name (expName() makes one)`, 'name')
      const id = this.writes.ensureExp(name, st, p)
      this.writes.updated(this.expRows.setOwner(id, hostname(), process.pid))
      // Each joins this transaction and validates before it writes.
      if (options.params) this.setParams(name, options.params)
      if (options.tags) this.setTags(name, options.tags)
      if (options.notes !== undefined) this.setNotes(name, options.notes)
      return name
    })
  }

  /**
   * @internal used by Run when MLDB_EXP names a sweep trial: takes over the
   * existing experiment (owner, status TRAINING) and adds params and tags.
   */
  joinRun(exp: string, options: { status: string; params?: Record<string, unknown>; tags?: Record<string, unknown> }): void {
    const name = checkExpName(exp)
    const st = checkStatus(options.status)
    this.write(() => {
      const id = this.expRows.liveId(name)
      if (id === undefined) throw new NotFoundError(`MLDB_EXP names "${name}", which is not a live experiment; unset MLDB_EXP`, 'experiment', name)
      this.writes.updated(this.expRows.setOwner(id, hostname(), process.pid))
      if (options.params) this.setParams(name, options.params)
      if (options.tags) this.setTags(name, options.tags)
      this.setExpStatus(name, st)
    })
  }

  // ---------------------------------------------------------------- sweeps

  /**
   * Creates a sweep (a hyperparameter search) from a config in W&B's format or camelCase.
   *
   * @example const sweep = db.createSweep({ name: 'b', method: 'bayes', metric: { name: 'objective', goal: 'minimize' }, parameters: { x: { min: -5, max: 10 } }, runCap: 100 })
   */
  createSweep(config: Record<string, unknown>): Sweep {
    this.open()
    // a config is JSON (it is stored as JSON): one that cannot be written as
    // JSON (a cycle, a BigInt, a getter that throws) is refused before any of it is read
    try {
      JSON.stringify(config)
    } catch (e) {
      throw new ValidationError(`a sweep config must be JSON data, but it cannot be written as JSON: ${describeError(e)}`, 'config')
    }
    return createSweep(this, config)
  }

  /**
   * Reopens a sweep by name, from any process.
   *
   * @example const trial = db.getSweep('branin').ask()
   */
  getSweep(name: string): Sweep {
    this.open()
    return getSweep(this, name)
  }

  /** Every sweep with its counts and best trial, newest first. */
  listSweeps(): SweepSummary[] {
    this.open()
    return listSweeps(this)
  }

  /** Whether close() was called. */
  get isClosed(): boolean {
    return this.closed
  }

  /** Closes the file. Later calls raise MldbError. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.heartbeats.stopAll()
    // Leave the file as an eager writer would: every summary describes all its points.
    try {
      foldTails(this.sqlite)
    } catch {
      // The points are committed; the next writer or reader folds what is left.
    }
    this.sqlite.close()
    this.sync?.close()
  }

  [Symbol.dispose](): void {
    this.close()
  }
}

// SQLite's own failures (disk full, busy, read-only, I/O, corrupt) leave every method as mldb errors.
mapSqliteErrors(
  Database.prototype,
  (db) => db.path,
  (db) => busySeconds(db.busyTimeoutMs),
)
