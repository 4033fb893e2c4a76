// Keeps the -wal bounded under sustained writers (issue 8 item 8: 272 MB of WAL
// beside a 101 MB database after 60 s of 8 writers). SQLite's automatic
// checkpoint is PASSIVE: it copies frames back but can only start the WAL over
// from its beginning when no other connection reads an older snapshot, which
// with eight busy writers is almost never, so the file grows without end.
// journal_size_limit trims the file whenever a restart does happen; this guard
// forces one when the file passes the limit anyway. Training loops are
// synchronous and never idle, so it counts commits rather than waiting on a
// timer: one stat of the -wal per CHECK_EVERY commits (~2 µs), and a
// TRUNCATE checkpoint, which waits for readers, only when the file is over.
import { statSync } from 'node:fs'
import type { Sqlite } from './connection.js'

/** Above this the -wal is checkpointed and truncated; also the journal_size_limit. */
export const WAL_LIMIT_BYTES = 32 * 1024 * 1024
/** Commits between two looks at the -wal's size. */
const CHECK_EVERY = 64
/** How long one checkpoint try waits for the write lock and for readers. */
const CHECKPOINT_WAIT_MS = 100
/** How long tries go on (2-10 ms apart) while another connection's checkpoint runs. */
const GIVE_UP_MS = 1000
const SLEEPER = new Int32Array(new SharedArrayBuffer(4))

/**
 * Call `afterCommit()` after each committed write transaction.
 *
 * @example const guard = new WalGuard(db, path, 10_000); ...; tx.commit(); guard.afterCommit()
 */
export class WalGuard {
  private commits = 0
  private readonly wal: string

  constructor(
    private readonly db: Sqlite,
    path: string,
    /** the connection's own busy timeout, restored after a checkpoint */
    private readonly busyTimeoutMs: number,
  ) {
    this.wal = `${path}-wal`
  }

  /** Every CHECK_EVERY commits, checkpoints and truncates the -wal if it has grown past WAL_LIMIT_BYTES. */
  afterCommit(): void {
    if (++this.commits < CHECK_EVERY) return
    this.commits = 0
    let size: number
    try {
      size = statSync(this.wal).size
    } catch {
      return
    }
    if (size <= WAL_LIMIT_BYTES || this.db.inTransaction) return
    // Another connection's automatic (PASSIVE) checkpoint holds the checkpoint
    // lock most of the time under load, and SQLite then answers busy at once
    // without waiting: try again for a little while, then leave it to the next look.
    // A short busy timeout bounds how long this one call can stall its caller (~1 s at worst).
    this.db.pragma(`busy_timeout = ${CHECKPOINT_WAIT_MS}`)
    try {
      const until = performance.now() + GIVE_UP_MS
      while (performance.now() < until) {
        // Waits for the writer and for readers of older snapshots, then starts the WAL over at 0 bytes.
        const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
        if (r?.busy === 0) return
        Atomics.wait(SLEEPER, 0, 0, 2 + Math.random() * 8)
      }
    } catch {
      // busy or the like: the data is committed; the next look tries again
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`)
    }
  }
}
