// What the read commands (ls, show, best, compare, export) read, behind one
// small interface: a database file (file-reader.ts) or a team server over its
// HTTP read API (server-reader.ts). The commands format what either returns
// the same way, so `mldb --server URL ls` prints what `mldb ls` prints on a file.

import type { Command } from 'commander'
import type { Database, ExperimentDetail } from '../api/database.js'
import type { Direction } from '../api/direction.js'
import type { ExportOptions } from '../api/export.js'
import type { ExportRecord } from '../api/records.js'
import type { Bucket } from '../store/downsample.js'
import type { ExperimentSummary, FileRecord } from '../store/types.js'
import { withDb } from './db.js'
import { FileReader } from './file-reader.js'
import { readTarget } from './read-target.js'
import { ServerReader } from './server-reader.js'

/** The selection of `mldb ls` (and of export's and best's filters). */
export interface ListQuery {
  project?: string | undefined
  status?: string | undefined
  where?: string | undefined
  orderBy?: string | undefined
  trashed?: boolean | undefined
}

/** What Database.bestExperiment returns when an experiment has the series. */
export type BestExperiment = NonNullable<ReturnType<Database['bestExperiment']>>

/** A recorded file's state as the read commands print it. */
export type FileProblem = 'missing' | 'changed' | null

/** The reads behind the read commands; every method may go over the network. */
export interface Reader extends Disposable {
  /** Experiments as `Database.listExperiments` lists them; no limit means all. */
  listExperiments(query: ListQuery, limit: number | undefined): Promise<ExperimentSummary[]>
  countExperiments(query: ListQuery): Promise<number>
  /** One live experiment with its history and files, or NotFoundError. */
  getExperiment(name: string): Promise<ExperimentDetail>
  /** Whether a recorded file is missing or changed on this machine; never when the server holds its bytes. */
  fileProblem(f: FileRecord): FileProblem
  /** Which way a series is optimised: this machine's config file's "directions", then the shared word list. */
  seriesDirection(key: string): Direction
  downsample(name: string, key: string, buckets: number): Promise<Bucket[]>
  /** Whether any live experiment has the series `key`. */
  hasSeries(key: string): Promise<boolean>
  /** Series that exist and are probably what `key` meant. */
  similarSeries(key: string): Promise<string[]>
  bestExperiment(
    key: string,
    mode: Direction | undefined,
    options: { where?: string | undefined; project?: string | undefined },
  ): Promise<BestExperiment | undefined>
  /** The experiment's files of kind `model`, in the order recorded. */
  modelFiles(name: string): Promise<FileRecord[]>
  /** Every record of `mldb export`; a file's are read synchronously (as fast as before), a server's streamed. */
  exportRecords(options: ExportOptions, onExperiment: () => void): Iterable<ExportRecord> | AsyncIterable<ExportRecord>
}

/** Adds `--db PATH` and `--server URL` to a read command. */
export function withSource(cmd: Command): Command {
  return withDb(cmd).option(
    '--server <url>',
    'read through this team server (default: MLDB_SERVER, "server" in ~/.mldb_config.json, unless --db or MLDB_DB_PATH names a file)',
  )
}

/** Opens what a read command reads (see readTarget for the order). */
export function openReader(opts: { db?: string | undefined; server?: string | undefined }): Reader {
  const target = readTarget(opts)
  return target.kind === 'server' ? new ServerReader(target.server, target.token) : new FileReader(target.db)
}
