import { type SyncHandle, startSync } from './background.js'
import { resolveSyncTarget } from './server-config.js'

/** The sync options of `new Database(...)`. */
export interface SyncOptions {
  /** a team server to push this file to (`mldb server`); default MLDB_SERVER, then `"server"` in ~/.mldb_config.json; '' for none */
  server?: string
  /** its access token; default MLDB_TOKEN, then `"token"` in the config file */
  token?: string
  /** how long close() waits for the sender, in ms (default 5,000, or MLDB_SYNC_WAIT_MS); what is left stays in the file for `mldb sync` */
  syncWaitMs?: number
  /** files up to this size have their bytes uploaded to the server (default 50 MiB) */
  maxUploadBytes?: number
}

export type { SyncHandle }

/**
 * Starts the background sender of a Database when a server is configured, and
 * gives the process's natural end the same bounded wait as close().
 *
 * @example const sync = startSyncFor('/data/runs.db', { server: 'http://gpu-box:5757', token })
 */
export function startSyncFor(path: string, o: SyncOptions): { close(): void } | undefined {
  const target = resolveSyncTarget(o)
  if (!target) return undefined
  const envWait = Number(process.env.MLDB_SYNC_WAIT_MS)
  const waitMs = o.syncWaitMs ?? (Number.isFinite(envWait) && envWait >= 0 ? envWait : 5000)
  const handle = startSync({
    path,
    server: target.server,
    token: target.token,
    ...(o.maxUploadBytes === undefined ? {} : { maxUploadBytes: o.maxUploadBytes }),
  })
  // A script that ends without close() still gets its bounded wait and its one line: at its
  // natural end (beforeExit), and at process.exit(), whose 'exit' handlers may only block,
  // which close() does (Atomics.wait while the worker thread sends).
  const atEnd = () => {
    process.off('beforeExit', atEnd)
    process.off('exit', atEnd)
    handle.close(waitMs)
  }
  process.once('beforeExit', atEnd)
  process.once('exit', atEnd)
  return { close: atEnd }
}
