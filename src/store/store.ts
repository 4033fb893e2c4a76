/**
 * The async store seam of the team server, in the shape of MLflow's
 * AbstractStore: one interface, a SQLite implementation (sqlite/, over the
 * synchronous local code, which stays as fast as it is) and a PostgreSQL one
 * (postgres/). The server talks to this interface only.
 */
import { DatabaseError } from '../errors.js'
import type { AliasChange, ModelVersion, RegisteredModel, RemoteRegistration } from '../registry/types.js'
import type { SweepConfig } from '../sweep/config.js'
import type { SweepSummary, TrialInfo } from '../sweep/trial-logic.js'
import type { Bucket, DownsampleOptions } from './downsample.js'
import type { ListOptions } from './experiments.js'
import type { Point } from './points.js'
import type { ProjectActivity } from './project-activity.js'
import type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from './types.js'

/**
 * The id a client gives each write: its own uuid (an experiment's, or one per
 * process) and a sequence number it increments per write. A write whose id was
 * applied before is acknowledged again and not applied twice.
 */
export interface WriteId {
  client: string
  seq: number
}

/** What a write did: `duplicate` when its id had been applied already (nothing was written this time). */
export interface WriteResult {
  duplicate: boolean
}

/** A new experiment as a remote client creates it. */
export interface NewRemoteExperiment {
  name: string
  project?: string | undefined
  /** default TRAINING */
  status?: string | undefined
  host?: string | undefined
  pid?: number | undefined
  params?: Record<string, Json> | undefined
  tags?: Record<string, string> | undefined
}

/** One point of a batch: the series (`name`, `split`), step, value (NaN, ±Infinity allowed), time in ms. */
export interface RemotePoint {
  name: string
  split: string
  step: number
  value: number
  time: number
}

/** A file record sent by a remote client: the path on its machine and what it knew of the file. */
export interface RemoteFile {
  path: string
  kind: string
  step: number | null
  size: number
  mtime: number
  sha256: string | null
  meta: Record<string, Json> | null
}

/** An access token as listed: never the token itself. */
export interface TokenInfo {
  name: string
  readOnly: boolean
  createdAt: number
}

/** One experiment with its history and files, as the detail page reads it. */
export interface StoredExperiment extends ExperimentSummary {
  statusHistory: StatusChange[]
  files: FileRecord[]
}

/**
 * The database cannot be reached (PostgreSQL restarting, network down): the
 * server answers 503 and the client retries; nothing of the request was written.
 */
export class StoreUnavailableError extends DatabaseError {
  override name = 'StoreUnavailableError'
}

/**
 * What the team server needs of a database. Every write is one transaction
 * that also records its WriteId, so a retry after a timeout or a 503 is safe.
 *
 * @example
 * const store = await openStore('postgresql://mldb@db:5432/mldb')
 * await store.logPoints({ client: uuid, seq: 1 }, 'exp1', [{ name: 'loss', split: 'train', step: 0, value: 0.9, time: Date.now() }])
 */
export interface Store {
  /** 'sqlite' or 'postgres' */
  readonly kind: 'sqlite' | 'postgres'
  /** the file path, or the URL without its password */
  readonly location: string

  /** Creates the experiment (with params and tags) when new; an existing one is left as is. */
  createExperiment(id: WriteId, e: NewRemoteExperiment): Promise<WriteResult>
  /** Sets the stored status (the history records each change). */
  setStatus(id: WriteId, name: string, status: string): Promise<WriteResult>
  /** Records params, once per key: another value for a key is a ValidationError. */
  setParams(id: WriteId, name: string, params: Record<string, Json>): Promise<WriteResult>
  /** Sets tags (may change later). */
  setTags(id: WriteId, name: string, tags: Record<string, string>): Promise<WriteResult>
  /** Replaces the notes. */
  setNotes(id: WriteId, name: string, notes: string): Promise<WriteResult>
  /** Logs points of one experiment, keeping series summaries and blocks in the same transaction. */
  logPoints(id: WriteId, name: string, points: readonly RemotePoint[]): Promise<WriteResult>
  /** Records a file pointer. */
  addFile(id: WriteId, name: string, file: RemoteFile): Promise<WriteResult & { file: FileRecord | undefined }>

  /** Experiments with params, tags and series summaries (filter, order, paging as the local listing). */
  listExperiments(options: ListOptions): Promise<ExperimentSummary[]>
  /** The same listing as JSON text (toJson's form: NaN and ±Infinity as strings), built by the database: the server's fast path. */
  listExperimentsJson(options: ListOptions): Promise<{ json: string; count: number }>
  /**
   * Live experiments whose row, heartbeat or points changed after `since` (ms),
   * or whose derived status turned LOST in (since, now]; and names trashed since.
   */
  changedSince(since: number, now: number): Promise<{ ids: number[]; trashed: string[] }>
  /** How many experiments match. */
  countExperiments(options: ListOptions): Promise<number>
  /** One live experiment, or NotFoundError. */
  getExperiment(name: string): Promise<StoredExperiment>
  /** The experiment's series summaries. */
  getSeries(name: string): Promise<SeriesSummary[]>
  /** A series' points in step order (equal steps in the order logged), after a step. */
  getPoints(name: string, series: string, options?: { afterStep?: number; limit?: number }): Promise<Point[]>
  /** Min/max/last per bucket over a step range. */
  downsample(name: string, series: string, options?: DownsampleOptions): Promise<Bucket[]>
  /** Project names with their experiment counts. */
  listProjects(): Promise<{ name: string; experiments: number }[]>
  /** projects with experiments, the most recently active first (the dashboard opens on the first) */
  listProjectActivity(): Promise<ProjectActivity[]>
  /** A file record of a live experiment by id. */
  getFile(id: number): Promise<FileRecord | undefined>

  /** Stores a token's hash; a name in use is a ValidationError. */
  createToken(name: string, hash: string, readOnly: boolean): Promise<void>
  listTokens(): Promise<TokenInfo[]>
  /** Deletes the token; false when no token has that name. */
  revokeToken(name: string): Promise<boolean>
  /** Every token's hash and role, for the server's constant-time check. */
  tokenHashes(): Promise<{ name: string; hash: string; readOnly: boolean }[]>

  /** Records that the artifact store holds these bytes. */
  addArtifact(sha256: string, size: number): Promise<void>
  /** The size of a stored artifact, or undefined. */
  artifactSize(sha256: string): Promise<number | undefined>

  /** The schema version of the database. */
  version(): Promise<number>
  close(): Promise<void>

  // `mldb --server URL best` (src/server/routes/cli-read.ts): the reads behind Database.bestExperiment.
  /** The distinct (name, split) pairs of the live experiments' series, for "did you mean" suggestions. */
  liveSeriesNames(): Promise<{ name: string; split: string }[]>
  /** The first step (in step order, then the order logged) at which an experiment's series (`split/name`) holds `value`; null if never. */
  firstStepWithValue(name: string, series: string, value: number): Promise<number | null>

  // Registry and sweeps (H2): what needs one answer for every machine (docs/server.md, "Direct calls").
  /** The model registry. */
  readonly registry: RegistryStore
  /** Sweeps: the claim of the next trial happens here, one transaction each. */
  readonly sweeps: SweepStore
}

// ------------------------------------------------ registry and sweeps on the team server
// Calls that need one consistent answer from many machines: clients make them
// directly (not through the delayed sync sender); each write carries a WriteId.

/**
 * The model registry of the team server: versions registered by remote clients
 * (their evidence and the file's sha256, whose bytes are in the artifact store),
 * aliases moved in one transaction with their history.
 */
export interface RegistryStore {
  /** Records the next version of a model (created when new); a retry answers the version the first attempt made. */
  register(id: WriteId, r: RemoteRegistration): Promise<WriteResult & { version: ModelVersion }>
  /** Points an alias at a version, or removes it (null); the history records who moved it. */
  setAlias(id: WriteId, name: string, alias: string, version: number | null, by: string): Promise<WriteResult>
  /** A version by `name`, `name/3` or `name@alias`; NotFoundError when there is none. */
  get(ref: string): Promise<ModelVersion>
  list(): Promise<RegisteredModel[]>
  /** The versions of one model, oldest first. */
  versions(name: string): Promise<ModelVersion[]>
  history(name: string): Promise<AliasChange[]>
}

/** Who claims a trial from the server: the agent's machine and the identity its own copy of the experiment syncs under. */
export interface RemoteTrialOrigin {
  /** the uuid tagged mldb.uuid on the trial's experiment; a retried claim answers the trial of this uuid */
  uuid: string
  host: string
  pid: number
}

/** A trial handed to an agent. */
export interface ClaimedTrial {
  number: number
  /** the experiment's name */
  exp: string
  /** the sampled params (nested parameters as objects) */
  params: Record<string, Json>
}

/** How a trial ended: its status and final value (null: none, or NaN), and a note appended to its experiment's notes. */
export interface TrialEnd {
  status: 'COMPLETE' | 'PRUNED' | 'FAILED'
  value?: number | null | undefined
  note?: string | undefined
}

/** One sweep as `GET /api/sweeps/{name}` answers it. */
export interface SweepView {
  sweep: SweepSummary
  config: SweepConfig
  trials: TrialInfo[]
}

/** Sweeps on the team server: the sampler runs here, inside the claim's transaction, so no trial is handed out twice. */
export interface SweepStore {
  /** Creates a sweep from a config (W&B's format or camelCase); a name in use is a ValidationError. */
  create(id: WriteId, config: unknown): Promise<WriteResult & { sweep: SweepView }>
  /** Claims the next trial, or null when the sweep has no more to hand out. */
  claim(id: WriteId, name: string, origin: RemoteTrialOrigin): Promise<WriteResult & { trial: ClaimedTrial | null }>
  /** Sets a trial's value and its experiment's final status together. */
  end(id: WriteId, name: string, number: number, end: TrialEnd): Promise<WriteResult>
  /** Keeps a running trial from reading LOST (its program may not log for minutes). */
  heartbeat(name: string, number: number): Promise<void>
  /** What the sweep's pruner says of the trial now, from the points the server holds. */
  shouldPrune(name: string, number: number): Promise<boolean>
  /** Stops handing out trials. */
  stop(id: WriteId, name: string): Promise<WriteResult>
  get(name: string): Promise<SweepView>
  list(): Promise<SweepSummary[]>
}
