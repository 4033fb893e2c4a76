import { resolveSyncTarget, type SyncTarget } from '../sync/server-config.js'
import { UsageError } from './errors.js'

/** Where a read command reads: a database file (`db` as given, resolved later) or a team server. */
export type ReadTarget = { kind: 'file'; db: string | undefined } | ({ kind: 'server' } & SyncTarget)

/**
 * Which source `mldb ls|show|best|compare|export` read, in this order:
 * `--server URL`; a file named by `--db` or `MLDB_DB_PATH`; a server from
 * `MLDB_SERVER` (with `MLDB_TOKEN`) or `"server"`/`"token"` in
 * ~/.mldb_config.json; else the file (`"db_path"` in the config file, then
 * ~/.mldb/mldb.db). So a script that sets MLDB_SERVER to sync its runs reads
 * the team's view by default and its own file with `--db` (or `--server ''`).
 * MLDB_SYNC=0 only stops sending: it does not change what is read.
 *
 * @example readTarget({ db: 'x.db' }) // { kind: 'file', db: 'x.db' }
 */
export function readTarget(opts: { db?: string | undefined; server?: string | undefined }, env: NodeJS.ProcessEnv = process.env): ReadTarget {
  if (opts.server !== undefined && opts.server !== '' && opts.db !== undefined) {
    throw new UsageError('give --db (a file) or --server (a team server), not both')
  }
  // the sync sender's resolution (URL checks, token), without the switch that only stops sending
  const { MLDB_SYNC: _sync, ...rest } = env
  if (opts.server === '') return { kind: 'file', db: opts.db }
  if (opts.server !== undefined) return { kind: 'server', ...(resolveSyncTarget({ server: opts.server }, rest) as SyncTarget) }
  if (opts.db !== undefined || env.MLDB_DB_PATH) return { kind: 'file', db: opts.db }
  const target = resolveSyncTarget({}, rest)
  return target ? { kind: 'server', ...target } : { kind: 'file', db: undefined }
}

/**
 * The team server a command that may run on either reads and writes (sweeps, the
 * registry), by the same order as {@link readTarget}; undefined: the file.
 *
 * @example serverOrFile(opts.db)?.server // 'http://gpu-box:5757/' when MLDB_SERVER is set and no file is named
 */
export function serverOrFile(db: string | undefined, env: NodeJS.ProcessEnv = process.env): SyncTarget | undefined {
  const t = readTarget({ db }, env)
  return t.kind === 'server' ? { server: t.server, token: t.token } : undefined
}
