import { hostname } from 'node:os'
import { threadId } from 'node:worker_threads'
import type { Database as Sqlite } from 'better-sqlite3'
import { openSqlite } from '../store/connection.js'
import { type Ack, applyAck, planExperiment, pointsBody, UUID_TAG } from './planner.js'
import { SyncRows } from './sync-rows.js'
import { type Outcome, Transport } from './transport.js'

/** Where to send and how. */
export interface SenderOptions {
  /** the local SQLite file */
  path: string
  /** the server's base URL, e.g. http://gpu-box:5757/ */
  server: string
  token?: string | undefined
  /** per request (default 30,000 ms) */
  requestTimeoutMs?: number
  /** files up to this size have their bytes uploaded (default 50 MiB) */
  maxUploadBytes?: number
  /** one-line warnings (default: stderr) */
  warn?: (line: string) => void
}

/** How much the server has not acknowledged yet. */
export interface Pending {
  points: number
  /** other writes (experiments, statuses, params, tags, notes, files) waiting or planned */
  writes: number
  /** writes the server refused for good (kept in the outbox) */
  refused: number
  /** per experiment name: points not acknowledged */
  experiments: { name: string; points: number; writes: number }[]
}

const LEASE_MS = 15_000
// Short enough that a restarted server sees the backlog within seconds; 16 machines retrying every 5 s cost it nothing.
const MAX_BACKOFF_MS = 5_000
const FULL_SCAN_EVERY_MS = 20_000

/** Whether a lease owner `host:pid:...` is a process on this host that has gone. */
function ownerGone(owner: string): boolean {
  const [host, pid] = owner.split(':')
  if (host !== hostname() || !pid) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * The local-first sender: reads the local file on its own connection and pushes
 * what the server has not acknowledged, exactly once. Each write is put in the
 * file's outbox (with its client id and sequence number) before it is sent and
 * removed in the same transaction that records its acknowledgement, so a kill at
 * any moment resends the very same write, which the server recognises. One
 * sender per file and server sends at a time (a lease in sync_servers).
 *
 * @example
 * const s = new Sender({ path: 'runs.db', server: 'http://srv:5757/', token })
 * await s.drain(5000)
 */
export class Sender {
  readonly rows: SyncRows
  readonly transport: Transport
  private readonly sqlite: Sqlite
  private readonly owner = `${hostname()}:${process.pid}:${threadId}:${Math.random().toString(36).slice(2, 8)}`
  private readonly warn: (line: string) => void
  private readonly warned = new Set<string>()
  private readonly maxUploadBytes: number
  private client = ''
  private lastFullScan = 0
  private failures = 0
  private failing: string | undefined
  /** when the next attempt may run after a failure (ms) */
  nextTryAt = 0
  /** writes acknowledged by this sender, points among them */
  sentPoints = 0
  sentWrites = 0

  constructor(readonly options: SenderOptions) {
    this.sqlite = openSqlite(options.path)
    this.rows = new SyncRows(this.sqlite, options.server)
    this.transport = new Transport(options.server, options.token, options.requestTimeoutMs ?? 30_000)
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`))
    this.maxUploadBytes = options.maxUploadBytes ?? 50 * 2 ** 20
  }

  private warnOnce(key: string, line: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.warn(line)
  }

  /** Takes or renews the lease; false while another live sender holds it. */
  private lease(): boolean {
    // Most rounds find the lease ours for a while yet: a read, so an idle sender never takes the write lock.
    const held = this.rows.peekServer()
    if (held && held.lease_owner === this.owner && (held.lease_until ?? 0) - Date.now() > LEASE_MS / 2) {
      this.client = held.client
      return true
    }
    return this.rows.tx(() => {
      const row = this.rows.serverRow()
      this.client = row.client
      const now = Date.now()
      const other = row.lease_owner !== null && row.lease_owner !== this.owner
      if (other && (row.lease_until ?? 0) > now && !ownerGone(row.lease_owner as string)) return false
      if (other || (row.lease_until ?? 0) - now < LEASE_MS / 2) this.rows.setLease(this.owner, now + LEASE_MS)
      return true
    })
  }

  /** Gives the lease back (close). */
  release(): void {
    try {
      this.rows.tx(() => {
        if (this.rows.serverRow().lease_owner === this.owner) this.rows.setLease(null, null)
      })
    } catch {
      // the lease runs out by itself
    }
  }

  /**
   * One round: resend the outbox, then plan and send what is new. Returns
   * 'idle' (nothing left), 'more' (call again now), 'wait' (failed or
   * another sender holds the lease: call again later) or 'busy' (lease elsewhere).
   */
  async step(full = false): Promise<'idle' | 'more' | 'wait' | 'busy'> {
    if (Date.now() < this.nextTryAt) return 'wait'
    if (!this.lease()) return 'busy'
    const outbox = this.rows.outbox().filter((r) => r.error === null)
    if (outbox.length === 0) {
      const now = Date.now()
      const fullScan = full || now - this.lastFullScan > FULL_SCAN_EVERY_MS
      const since = fullScan ? undefined : this.lastFullScan - 30_000
      if (fullScan) this.lastFullScan = now
      // Planning only reads (outside any write lock, so the processes logging never wait on it);
      // the write transaction then records the writes, if this sender still holds the lease.
      const writes = this.rows.experiments(since).flatMap((e) => planExperiment(this.rows, e, { maxUploadBytes: this.maxUploadBytes }))
      if (writes.length === 0) return 'idle'
      const planned = this.rows.tx(() => {
        if (this.rows.serverRow().lease_owner !== this.owner) return 0
        for (const w of writes) if (w.register) this.rows.addExperiment(w.register.e, w.register.uuid, w.register.name)
        let seq = this.rows.takeSeqs(writes.length)
        for (const w of writes) {
          const body = JSON.stringify({ client: this.client, seq, ...w.body })
          this.rows.addOutbox(seq++, w.method, w.path, body, JSON.stringify(w.ack))
          if (w.ack.t === 'points') for (const [id, step, sq] of w.ack.series) this.rows.markSent(id, step, sq)
        }
        return writes.length
      })
      if (planned === 0) return 'busy'
      return this.flush()
    }
    return this.flush()
  }

  private async flush(): Promise<'more' | 'wait'> {
    for (const row of this.rows.outbox()) {
      if (row.error !== null) continue
      const ack = JSON.parse(row.ack) as Ack
      const r = await this.sendOne(row.method, row.path, row.body, ack)
      if (r.kind === 'ok') {
        this.recovered()
        continue
      }
      if (r.kind === 'refused') {
        // This write can never succeed as it is; keep it for `mldb sync` to report, and go on.
        this.warnOnce(
          `refused:${r.message}`,
          `mldb: ${this.options.server} refused a write (${row.path}: ${r.message}); it stays in the local file, and \`mldb sync --pending\` lists it`,
        )
        this.rows.tx(() => {
          this.rows.failOutbox(row.seq, r.message)
          applyAck(this.rows, ack)
        })
        continue
      }
      this.failed(r)
      return 'wait'
    }
    return 'more'
  }

  private async sendOne(method: string, path: string, body: string, ack: Ack): Promise<Outcome> {
    if (ack.t === 'file' && ack.upload) {
      const up = await this.transport
        .upload(ack.upload.sha256, ack.upload.path, ack.upload.size)
        .catch((e: Error): Outcome => ({ kind: 'refused', status: 0, message: e.message }))
      // Too large for the server, or the file changed: the record goes without its bytes.
      if (up.kind === 'retry' || up.kind === 'auth') return up
    }
    const r = await this.transport.send(method, path, ack.t === 'points' || ack.t === 'late' ? pointsBody(this.rows, ack, body) : body)
    if (r.kind !== 'ok') return r
    if (ack.t === 'create') {
      // The server leaves an existing experiment as is: check that it holds ours, never merge two silently.
      const got = await this.transport.send('GET', `/api/experiments/${encodeURIComponent(ack.name)}`)
      if (got.kind !== 'ok') return got.kind === 'refused' ? { kind: 'retry', status: got.status, message: got.message } : got
      const tags = (got.json.tags ?? {}) as Record<string, string>
      if (tags[UUID_TAG] !== ack.uuid) {
        const local = this.sqlite.prepare('SELECT name FROM experiments WHERE id = ?').get(ack.e) as { name: string } | undefined
        const rename = ack.name.endsWith(ack.uuid.slice(0, 8)) ? `${local?.name ?? ack.name}-${ack.uuid}` : `${local?.name ?? ack.name}-${ack.uuid.slice(0, 8)}`
        this.warn(`mldb: the server already has another experiment named "${ack.name}" (from another machine); this one is sent as "${rename}"`)
        this.rows.tx(() => {
          this.rows.deleteOutbox(JSON.parse(body).seq as number)
          this.rows.updateExperiment(ack.e, { remote_name: rename })
        })
        return r
      }
    }
    // Another sender that took over a lapsed lease may have recorded this write already: record it once.
    const first = this.rows.tx(() => {
      if (!this.rows.deleteOutbox(JSON.parse(body).seq as number)) return false
      applyAck(this.rows, ack)
      return true
    })
    if (!first) return r
    this.sentWrites++
    if (ack.t === 'points') for (const s of ack.series) this.sentPoints += s[3]
    if (ack.t === 'late') this.sentPoints += ack.keys.length
    return r
  }

  private failed(r: Exclude<Outcome, { kind: 'ok' }>): void {
    this.failures++
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 10)) * (0.75 + Math.random() / 2)
    this.nextTryAt = Date.now() + (r.kind === 'auth' ? Math.max(delay, 5000) : delay)
    if (this.failing) return
    this.failing = r.kind
    if (r.kind === 'auth') {
      this.warn(
        `mldb: ${this.options.server} refused the token (${r.message}); logging goes on in the local file: set MLDB_TOKEN to a valid token and run \`mldb sync\``,
      )
    } else {
      this.warn(`mldb: cannot reach ${this.options.server} (${r.message}); logging goes on in the local file and the sender retries in the background`)
    }
  }

  private recovered(): void {
    this.failures = 0
    if (this.failing) this.warn(`mldb: sending to ${this.options.server} again`)
    this.failing = undefined
  }

  /** Whether the last attempt failed (and how). */
  get failingKind(): string | undefined {
    return this.failing
  }

  /**
   * Sends until nothing is left or `timeoutMs` passed (retrying with backoff).
   * Resolves with what is still pending.
   */
  async drain(timeoutMs: number, onProgress?: () => void): Promise<Pending> {
    const deadline = Date.now() + timeoutMs
    let full = true
    while (Date.now() < deadline) {
      const r = await this.step(full)
      onProgress?.()
      if (r === 'idle') break
      if (r === 'more') {
        full = false
        continue
      }
      full = true
      const wait = r === 'busy' ? 200 : Math.max(10, this.nextTryAt - Date.now())
      await new Promise((res) => setTimeout(res, Math.min(wait, Math.max(0, deadline - Date.now()))))
    }
    return this.pending()
  }

  /** What the server has not acknowledged, per experiment. */
  pending(): Pending {
    const experiments: Pending['experiments'] = []
    const outbox = this.rows.outbox()
    const waiting = new Map<number, number>()
    const creating = new Set<number>()
    for (const row of outbox) {
      const ack = JSON.parse(row.ack) as Ack
      if (row.error === null && ack.t !== 'points' && ack.t !== 'late') waiting.set(ack.e, (waiting.get(ack.e) ?? 0) + 1)
      if (ack.t === 'create') creating.add(ack.e)
    }
    let points = 0
    let writes = 0
    for (const e of this.rows.experiments(undefined)) {
      let n = 0
      for (const s of this.rows.series(e.id)) n += this.rows.countAfter(s.id, s.step, s.seq)
      n += this.rows.lateCount(e.id)
      const w = (waiting.get(e.id) ?? 0) + (e.sync?.created || creating.has(e.id) ? 0 : 1)
      if (n > 0 || w > 0) experiments.push({ name: e.name, points: n, writes: w })
      points += n
      writes += w
    }
    return { points, writes, refused: outbox.filter((r) => r.error !== null).length, experiments }
  }

  close(): void {
    this.release()
    this.sqlite.close()
  }
}

/** The one line a closing client prints when the server has not acknowledged everything. */
export function leftLine(server: string, p: Pending, dbPath: string): string {
  const what = [p.points ? `${p.points} point${p.points === 1 ? '' : 's'}` : '', p.writes ? `${p.writes} other write${p.writes === 1 ? '' : 's'}` : '']
    .filter(Boolean)
    .join(' and ')
  return `mldb: ${what} of ${p.experiments.length} experiment${p.experiments.length === 1 ? '' : 's'} not yet on ${server}; they are kept in ${dbPath}: run \`mldb sync --db ${dbPath}\` to send them`
}
