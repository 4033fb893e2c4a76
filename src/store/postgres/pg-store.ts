import pg from 'pg'
import { checkKind } from '../../api/files.js'
import { checkExpName, checkKey, checkProjectName, checkRowCount, checkStatus, checkTagValue, toJsonValue } from '../../api/validate.js'
import { DatabaseError, MldbError, NotFoundError, ValidationError } from '../../errors.js'
import { parseJsonNumbers } from '../../json.js'
import { sql } from '../../named-sql.js'
import { bindNow, LOST_AFTER_MS, parseSeriesKey, STATUS_SQL } from '../../query/filter.js'
import type { Bucket, DownsampleOptions } from '../downsample.js'
import type { ListOptions } from '../experiments.js'
import { listingSql } from '../listing-sql.js'
import type { Point } from '../points.js'
import type { ProjectActivity } from '../project-activity.js'
import { groupPoints } from '../remote-points.js'
import { ACTIVE, FINAL } from '../sqlite/sqlite-store.js'
import { BEFORE_FIRST_STEP } from '../steps.js'
import {
  type NewRemoteExperiment,
  type RemoteFile,
  type RemotePoint,
  type Store,
  type StoredExperiment,
  StoreUnavailableError,
  type TokenInfo,
  type WriteId,
  type WriteResult,
} from '../store.js'
import { decodeStoredJson } from '../stored-json.js'
import type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from '../types.js'
import { pgDownsample } from './pg-downsample.js'
import { pgListQuery } from './pg-list.js'
import { EXPERIMENT_LOCK, isRetryable, lockLiveExperiment, TX_ATTEMPTS, withPgRetry } from './pg-locks.js'
import { migratePg } from './pg-migrations.js'
import { pgNamed } from './pg-named.js'
import { type SeriesBatch, writePgBatch } from './pg-points.js'
import { type PgAccess, PgRegistryStore } from './pg-registry.js'
import { pgFirstStepWithValue, pgLiveSeriesNames } from './pg-series-lookup.js'
import { PgSweepStore } from './pg-sweeps.js'
import { pgTxOnce } from './pg-tx.js'

/** int8 (bigint, count(*)) as a JS number: every value mldb stores is below 2^53. */
const INT8 = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** The URL without its password, for messages and `location`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgresql://(unparseable URL)'
  }
}

/** SQLSTATE classes and socket errors that mean "the server is not there right now". */
export function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? ''
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'ENOENT', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) return true
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true
  const msg = (e as Error)?.message ?? ''
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|Query read timeout/i.test(msg)
}

/** SQLSTATEs of text PostgreSQL cannot store: character_not_in_repertoire, untranslatable_character. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05'])

/**
 * What the caller sees: an MldbError as is, an outage as StoreUnavailableError, a deadlock or
 * serialization failure still there after withPgRetry's attempts too (503: nothing was written,
 * retrying helps), text PostgreSQL cannot hold as ValidationError (400: retrying cannot help),
 * anything else as DatabaseError.
 */
export function mapError(e: unknown, where: string): Error {
  if (e instanceof MldbError) return e
  if (isUnavailable(e)) return new StoreUnavailableError(`PostgreSQL at ${where} is unreachable (${(e as Error).message}); retry shortly`)
  if (isRetryable(e)) {
    return new StoreUnavailableError(`PostgreSQL at ${where}: ${(e as Error).message} (${TX_ATTEMPTS} attempts, nothing written); retry shortly`)
  }
  // Text PostgreSQL cannot hold (U+0000 in text or jsonb: 22021, 22P05), e.g. a row a client
  // stored before the NUL rule, syncing now: refused (a 400), so its sender records it and goes
  // on, where a 500 would be retried forever. docs/schema.md, "Limits".
  if (UNSTORABLE_TEXT.has((e as { code?: string }).code ?? '')) {
    return new ValidationError(`PostgreSQL at ${where} cannot hold this text (${(e as Error).message}): a value contains U+0000 (NUL); remove it`)
  }
  return new DatabaseError(`PostgreSQL at ${where}: ${(e as Error).message}`)
}

/** Options for `PostgresStore.open`. */
export interface PostgresStoreOptions {
  /** connections in the pool; default 16 */
  max?: number | undefined
}

/**
 * The Store on a PostgreSQL database (`pg`'s pool), with migrations-pg/ and the
 * same semantics as the SQLite store: NaN and ±Infinity exact in double
 * precision, duplicate steps kept, summaries and blocks in the write's
 * transaction, derived LOST, the filter language compiled to PostgreSQL.
 *
 * @example
 * const store = await PostgresStore.open('postgresql://mldb:secret@db:5432/mldb')
 * console.log(await store.countExperiments({}))
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres'
  readonly location: string
  private readonly seriesIds = new Map<string, number>()
  /** the registry and sweeps (pg-registry.ts, pg-sweeps.ts), on this store's claimed-write transactions */
  readonly registry: PgRegistryStore = new PgRegistryStore(this.access())
  readonly sweeps: PgSweepStore = new PgSweepStore(this.access())

  private constructor(
    readonly pool: pg.Pool,
    url: string,
  ) {
    this.location = redactUrl(url)
  }

  /** Connects, migrates (or refuses a newer schema) and returns the store; unreachable → StoreUnavailableError. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    // jit off: mldb's queries are many short ones and a 10,000-row listing, where
    // compiling the expressions costs more than it saves.
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 16,
      types,
      connectionTimeoutMillis: 30_000,
      query_timeout: 120_000,
      options: '-c jit=off',
    })
    // An idle connection dropped by a restarting server must not crash the process.
    pool.on('error', () => {})
    const store = new PostgresStore(pool, url)
    try {
      const client = await pool.connect()
      try {
        await migratePg(client, store.location)
      } finally {
        client.release()
      }
    } catch (e) {
      await pool.end().catch(() => {})
      throw mapError(e, store.location)
    }
    return store
  }

  /** Runs fn on one connection inside BEGIN/COMMIT, again after a deadlock (withPgRetry); errors mapped, caches dropped on failure. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      return await withPgRetry(() => pgTxOnce(this.pool, fn, () => this.seriesIds.clear()))
    } catch (e) {
      throw mapError(e, this.location)
    }
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw mapError(e, this.location)
    }
  }

  private access(): PgAccess {
    return { write: (id, fn) => this.write(id, fn), read: (fn) => this.read(() => fn(this.pool)) }
  }

  /** A write: claims its id first; a claimed id means a retry, acknowledged without writing. */
  private async write<T>(id: WriteId, fn: (c: pg.PoolClient) => Promise<T>): Promise<WriteResult & { value: T | undefined }> {
    return this.tx(async (c) => {
      const claimed = await c.query('INSERT INTO server_writes (client, seq, time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id.client, id.seq, Date.now()])
      if (claimed.rowCount === 0) return { duplicate: true, value: undefined }
      return { duplicate: false, value: await fn(c) }
    })
  }

  private async plain(id: WriteId, fn: (c: pg.PoolClient) => Promise<void>): Promise<WriteResult> {
    const { duplicate } = await this.write(id, fn)
    return { duplicate }
  }

  /** The id of a live experiment, or NotFoundError. */
  private async expId(c: pg.PoolClient | pg.Pool, name: string): Promise<number> {
    checkExpName(name)
    const r = await c.query(sql('experiments/live-id', 'postgres'), [name])
    const id = r.rows[0]?.id as number | undefined
    if (id === undefined) throw new NotFoundError(`no experiment named "${name}"; create it first (POST /api/experiments)`, 'experiment', name)
    return id
  }

  /** In a write: the live experiment's id, its row locked first (pg-locks.ts's order), or NotFoundError. */
  private async lockedExpId(c: pg.PoolClient, name: string): Promise<number> {
    checkExpName(name)
    const id = await lockLiveExperiment(c, name)
    if (id === undefined) throw new NotFoundError(`no experiment named "${name}"; create it first (POST /api/experiments)`, 'experiment', name)
    return id
  }

  async createExperiment(id: WriteId, e: NewRemoteExperiment): Promise<WriteResult> {
    const name = checkExpName(e.name)
    const status = checkStatus(e.status ?? 'TRAINING')
    const project = checkProjectName(e.project ?? 'default')
    const params = Object.entries(e.params ?? {}).map(([k, v]) => [checkKey('param key', k), toJsonValue(k, v)] as const)
    const tags = Object.entries(e.tags ?? {}).map(([k, v]) => [checkKey('tag key', k), checkTagValue(k, v)] as const)
    return await this.plain(id, async (c) => {
      const now = Date.now()
      await c.query('INSERT INTO projects (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [project, now])
      const r = await c.query(
        `INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid)
         SELECT $1, p.id, $2, $3, $4, $5, $3, $3, $6, $7 FROM projects p WHERE p.name = $8
         ON CONFLICT (name) DO NOTHING RETURNING id`,
        [name, status, now, ACTIVE.has(status) ? now : null, FINAL.has(status) ? now : null, e.host ?? null, e.pid ?? null, project],
      )
      const expId = r.rows[0]?.id as number | undefined
      if (expId === undefined) return // it exists: left as is
      if (params.length) await this.insertParams(c, expId, name, params)
      for (const [k, v] of tags) await c.query('INSERT INTO tags (experiment_id, key, value) VALUES ($1, $2, $3)', [expId, k, v])
      if (tags.length) checkRowCount(tags.length, 'tags', name)
    })
  }

  private async insertParams(c: pg.PoolClient, expId: number, name: string, params: readonly (readonly [string, string])[]): Promise<void> {
    for (const [k, v] of params) {
      const r = await c.query(
        `INSERT INTO params (experiment_id, key, value) VALUES ($1, $2, $3)
         ON CONFLICT (experiment_id, key) DO UPDATE SET value = params.value RETURNING value`,
        [expId, k, v],
      )
      const old = r.rows[0]?.value as string
      // the same value spelled otherwise (key order, 1e21) is a no-op, as in both clients
      if (old !== v && !(await c.query(pgNamed('params/same-value', { old, new: v }))).rows[0]?.same) {
        throw new ValidationError(`param "${k}" of "${name}" is already ${old}; params are written once (use a tag for a value that changes)`, k)
      }
    }
    const n = (await c.query('SELECT count(*) AS n FROM params WHERE experiment_id = $1', [expId])).rows[0]?.n as number
    checkRowCount(n, 'params', name)
  }

  async setStatus(id: WriteId, name: string, status: string): Promise<WriteResult> {
    const st = checkStatus(status)
    return await this.plain(id, async (c) => {
      const expId = await this.lockedExpId(c, name)
      const now = Date.now()
      await c.query(sql('experiments/set-status', 'postgres'), [st, now, ACTIVE.has(st), FINAL.has(st), expId])
    })
  }

  async setParams(id: WriteId, name: string, params: Record<string, Json>): Promise<WriteResult> {
    const entries = Object.entries(params).map(([k, v]) => [checkKey('param key', k), toJsonValue(k, v)] as const)
    return await this.plain(id, async (c) => {
      const expId = await this.lockedExpId(c, name)
      await this.insertParams(c, expId, name, entries)
      await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [Date.now(), expId])
    })
  }

  async setTags(id: WriteId, name: string, tags: Record<string, string>): Promise<WriteResult> {
    const entries = Object.entries(tags).map(([k, v]) => [checkKey('tag key', k), checkTagValue(k, v)] as const)
    return await this.plain(id, async (c) => {
      const expId = await this.lockedExpId(c, name)
      for (const [k, v] of entries) {
        await c.query('INSERT INTO tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = $3', [
          expId,
          k,
          v,
        ])
      }
      const n = (await c.query('SELECT count(*) AS n FROM tags WHERE experiment_id = $1', [expId])).rows[0]?.n as number
      checkRowCount(n, 'tags', name)
      await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [Date.now(), expId])
    })
  }

  async setNotes(id: WriteId, name: string, notes: string): Promise<WriteResult> {
    if (typeof notes !== 'string') throw new ValidationError('notes must be a string', 'notes')
    if (notes.length > 1_000_000) throw new ValidationError('notes are over 1,000,000 characters; keep long text in a file', 'notes')
    return await this.plain(id, async (c) => {
      const expId = await this.lockedExpId(c, name)
      await c.query('UPDATE experiments SET notes = $1, updated_at = $2 WHERE id = $3', [notes, Date.now(), expId])
    })
  }

  /** The series' id, created when new. Cached only by the caller once its transaction committed (another may not see it before). */
  private async seriesId(c: pg.PoolClient, expId: number, name: string, split: string, created: Map<string, number>): Promise<number> {
    const key = `${expId}\u0000${name}\u0000${split}`
    const cached = this.seriesIds.get(key)
    if (cached !== undefined) return cached
    const ins = await c.query('INSERT INTO series (experiment_id, name, split) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [expId, name, split])
    const id = (ins.rows[0]?.id ??
      (await c.query('SELECT id FROM series WHERE experiment_id = $1 AND name = $2 AND split = $3', [expId, name, split])).rows[0]?.id) as number
    created.set(key, id)
    return id
  }

  async logPoints(id: WriteId, name: string, points: readonly RemotePoint[]): Promise<WriteResult> {
    checkExpName(name)
    const groups = groupPoints(points)
    const created = new Map<string, number>()
    const r = await this.tx(async (c) => {
      // The claim of the write id and the experiment's id, its row locked (pg-locks.ts: claim, experiment,
      // then series), in one round trip (a batch's round trips are its cost). The claim's subquery runs first.
      const head = (
        await c.query({
          name: 'mldb-claim-experiment',
          text: `WITH claim AS (INSERT INTO server_writes (client, seq, time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1)
                 SELECT (SELECT count(*) FROM claim) AS claimed,
                        (SELECT id FROM experiments WHERE name = $4 AND deleted_at IS NULL ${EXPERIMENT_LOCK}) AS id`,
          values: [id.client, id.seq, Date.now(), name],
        })
      ).rows[0] as { claimed: number; id: number | null }
      if (head.claimed === 0) return { duplicate: true }
      if (head.id === null) throw new NotFoundError(`no experiment named "${name}"; create it first (POST /api/experiments)`, 'experiment', name)
      const expId = head.id
      // Series created in a fixed order: two batches of one experiment wait on each other's new rows in the same order (no deadlock).
      const ordered = [...groups.values()].sort((a, b) => (a.name + a.split < b.name + b.split ? -1 : 1))
      const batches: SeriesBatch[] = []
      for (const g of ordered) batches.push({ seriesId: await this.seriesId(c, expId, g.name, g.split, created), points: g.points })
      await writePgBatch(c, batches, { experimentId: expId, now: Date.now() })
      return { duplicate: false }
    })
    for (const [k, v] of created) this.seriesIds.set(k, v)
    return r
  }

  async addFile(id: WriteId, name: string, file: RemoteFile): Promise<WriteResult & { file: FileRecord | undefined }> {
    const kind = checkKind(file.kind)
    const meta = file.meta === null ? null : toJsonValue('meta', file.meta, 'file meta')
    const r = await this.write(id, async (c) => {
      const expId = await this.lockedExpId(c, name)
      const now = Date.now()
      const row = (
        await c.query(
          `INSERT INTO file_pointers (experiment_id, path, kind, step, size, mtime, sha256, meta, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [expId, file.path, kind, file.step, file.size, file.mtime, file.sha256, meta, now],
        )
      ).rows[0] as { id: number }
      await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [now, expId])
      return { id: row.id, experiment: name, ...file, kind, createdAt: now }
    })
    return { duplicate: r.duplicate, file: r.value }
  }

  async listExperiments(options: ListOptions): Promise<ExperimentSummary[]> {
    return parseJsonNumbers((await this.listExperimentsJson(options)).json) as ExperimentSummary[]
  }

  async listExperimentsJson(options: ListOptions): Promise<{ json: string; count: number }> {
    // $1 and $2 are the statement's limit and offset (NULL: none); the filter's parameters follow.
    const q = await this.read(() => pgListQuery(this.pool, options, 3))
    const text = listingSql('listing/experiments-json', { where: q.where, order: q.order }, Date.now(), 'postgres')
    const r = await this.read(() => this.pool.query({ text, values: [options.limit ?? null, options.offset ?? null, ...q.params], rowMode: 'array' }))
    return { json: `[${r.rows.map((row) => row[0]).join(',')}]`, count: r.rows.length }
  }

  async changedSince(since: number, now: number): Promise<{ ids: number[]; trashed: string[] }> {
    // The rule of src/store/changes.ts (SQLite), in PostgreSQL.
    const ids = await this.read(() => this.pool.query(sql('status/changed-experiments', 'postgres'), [since, now, LOST_AFTER_MS]))
    const trashed = await this.read(() => this.pool.query(sql('status/trashed-since', 'postgres'), [since]))
    return { ids: ids.rows.map((r) => r.id as number), trashed: trashed.rows.map((r) => r.name as string) }
  }

  async countExperiments(options: ListOptions): Promise<number> {
    const q = await this.read(() => pgListQuery(this.pool, { ...options, orderBy: undefined }))
    const r = await this.read(() => this.pool.query(listingSql('listing/count', { where: q.where }, Date.now(), 'postgres'), q.params))
    return r.rows[0]?.n as number
  }

  async getExperiment(name: string): Promise<StoredExperiment> {
    const expId = await this.read(() => this.expId(this.pool, name))
    const [summary] = await this.listExperiments({ ids: [expId] })
    if (!summary) throw new NotFoundError(`no experiment named "${name}"`, 'experiment', name)
    const history = await this.read(() => this.pool.query(sql('experiments/status-history', 'postgres'), [expId]))
    const files = await this.read(() => this.pool.query(sql('files/of-experiment', 'postgres'), [expId, null]))
    return {
      ...summary,
      statusHistory: history.rows as StatusChange[],
      files: files.rows.map((f) => fileFromPg(f, name)),
    }
  }

  async getSeries(name: string): Promise<SeriesSummary[]> {
    const e = await this.getExperiment(name)
    return Object.values(e.series)
  }

  private async findSeries(name: string, series: string): Promise<number> {
    const expId = await this.read(() => this.expId(this.pool, name))
    const { name: n, split } = parseSeriesKey(series)
    const r = await this.read(() => this.pool.query('SELECT id FROM series WHERE experiment_id = $1 AND name = $2 AND split = $3', [expId, n, split]))
    const id = r.rows[0]?.id as number | undefined
    if (id === undefined) throw new NotFoundError(`experiment "${name}" has no series "${series}"`, 'series', series)
    return id
  }

  async getPoints(name: string, series: string, options: { afterStep?: number; limit?: number } = {}): Promise<Point[]> {
    const sid = await this.findSeries(name, series)
    const r = await this.read(() =>
      this.pool.query({
        text: 'SELECT step, time, value FROM points WHERE series_id = $1 AND step > $2 ORDER BY step, seq LIMIT $3',
        values: [sid, options.afterStep ?? BEFORE_FIRST_STEP, options.limit ?? 100_000],
      }),
    )
    return r.rows as Point[]
  }

  async downsample(name: string, series: string, options: DownsampleOptions = {}): Promise<Bucket[]> {
    const sid = await this.findSeries(name, series)
    return this.read(() => pgDownsample(this.pool, sid, options))
  }

  async listProjectActivity(): Promise<ProjectActivity[]> {
    const r = await this.read(() => this.pool.query(sql('listing/project-activity', 'postgres')))
    return r.rows as ProjectActivity[]
  }

  async listProjects(): Promise<{ name: string; experiments: number }[]> {
    const r = await this.read(() => this.pool.query(sql('listing/projects', 'postgres')))
    return r.rows.map((row) => ({ name: row.name as string, experiments: row.count as number }))
  }

  async getFile(id: number): Promise<FileRecord | undefined> {
    const r = await this.read(() => this.pool.query(sql('files/by-id', 'postgres'), [id]))
    const row = r.rows[0]
    return row ? fileFromPg(row, row.experiment) : undefined
  }

  async createToken(name: string, hash: string, readOnly: boolean): Promise<void> {
    const r = await this.read(() =>
      this.pool.query('INSERT INTO tokens (name, hash, read_only, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        name,
        hash,
        readOnly,
        Date.now(),
      ]),
    )
    if (r.rowCount === 0) throw new ValidationError(`a token named "${name}" exists; revoke it first (mldb token revoke ${name}) or pick another name`, 'name')
  }

  async listTokens(): Promise<TokenInfo[]> {
    const r = await this.read(() => this.pool.query('SELECT name, read_only, created_at FROM tokens ORDER BY name COLLATE "C"'))
    return r.rows.map((t) => ({ name: t.name, readOnly: t.read_only, createdAt: t.created_at }))
  }

  async revokeToken(name: string): Promise<boolean> {
    const r = await this.read(() => this.pool.query('DELETE FROM tokens WHERE name = $1', [name]))
    return (r.rowCount ?? 0) > 0
  }

  async tokenHashes(): Promise<{ name: string; hash: string; readOnly: boolean }[]> {
    const r = await this.read(() => this.pool.query('SELECT name, hash, read_only FROM tokens'))
    return r.rows.map((t) => ({ name: t.name, hash: t.hash, readOnly: t.read_only }))
  }

  async addArtifact(sha256: string, size: number): Promise<void> {
    await this.read(() =>
      this.pool.query('INSERT INTO artifacts (sha256, size, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [sha256, size, Date.now()]),
    )
  }

  async artifactSize(sha256: string): Promise<number | undefined> {
    const r = await this.read(() => this.pool.query('SELECT size FROM artifacts WHERE sha256 = $1', [sha256]))
    return r.rows[0]?.size as number | undefined
  }

  async version(): Promise<number> {
    const r = await this.read(() => this.pool.query('SELECT version FROM mldb_schema'))
    return r.rows[0]?.version as number
  }

  /** The derived status of one experiment now (LOST after a minute without heartbeat). */
  async derivedStatus(name: string): Promise<string> {
    const r = await this.read(() => this.pool.query(bindNow(`SELECT ${STATUS_SQL} AS s FROM experiments e WHERE e.name = $1`, Date.now()), [name]))
    return r.rows[0]?.s as string
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  async liveSeriesNames(): Promise<{ name: string; split: string }[]> {
    return this.read(() => pgLiveSeriesNames(this.pool))
  }

  async firstStepWithValue(name: string, series: string, value: number): Promise<number | null> {
    return this.read(() => pgFirstStepWithValue(this.pool, name, series, value))
  }
}

function fileFromPg(f: Record<string, unknown>, experiment: string): FileRecord {
  return {
    id: f.id as number,
    experiment,
    path: f.path as string,
    kind: f.kind as string,
    step: f.step as number | null,
    size: f.size as number,
    mtime: f.mtime as number,
    sha256: f.sha256 as string | null,
    meta: f.meta === null ? null : (decodeStoredJson(f.meta as string) as Record<string, Json>),
    createdAt: f.created_at as number,
  }
}
