import { randomUUID } from 'node:crypto'
import type { Database as Sqlite, Statement } from 'better-sqlite3'
import { sql as namedSql } from '../named-sql.js'

/** A write waiting in the outbox: sent as is (same client, seq, body) until acknowledged. */
export interface OutboxRow {
  seq: number
  method: string
  path: string
  body: string
  ack: string
  error: string | null
}

/** What the sender remembers of one experiment on one server. */
export interface SyncedExperiment {
  experiment_id: number
  uuid: string
  remote_name: string
  created: number
  status_id: number
  params: string
  tags: string
  notes: string
  file_id: number
}

/** A local experiment with its sync row (absent before its first write is planned). */
export interface LocalExperiment {
  id: number
  name: string
  project: string
  host: string | null
  pid: number | null
  notes: string
  sync: SyncedExperiment | undefined
}

/** One series with the last point acknowledged ((BEFORE_FIRST_STEP, -1) before any). */
export interface SyncedSeries {
  id: number
  name: string
  split: string
  step: number
  seq: number
  count: number
}

/** A stored point in (step, seq) order; value null is NaN. */
export interface LocalPoint {
  step: number
  seq: number
  time: number
  value: number | null
}

/**
 * Every SQL statement of the sender, on its own connection to the local file.
 * The sender only reads the logging tables; it writes the sync_* tables alone,
 * in short transactions, so logging calls never wait on the network.
 *
 * @example const rows = new SyncRows(openSqlite(path), 'http://srv:5757/')
 */
export class SyncRows {
  private readonly stmts = new Map<string, Statement>()

  constructor(
    readonly sqlite: Sqlite,
    readonly server: string,
  ) {}

  private st(sql: string): Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      s = this.sqlite.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  /** Runs fn in BEGIN IMMEDIATE (busy waits are the connection's timeout). */
  tx<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate()
  }

  /** This file's client id on the server and the row's lease, creating the row on first use. */
  serverRow(): { client: string; next_seq: number; lease_owner: string | null; lease_until: number | null } {
    this.st(namedSql('sync/server-ensure')).run(this.server, randomUUID())
    return this.st(namedSql('sync/server-row')).get(this.server) as {
      client: string
      next_seq: number
      lease_owner: string | null
      lease_until: number | null
    }
  }

  /** The server's row without creating it (a plain read). */
  peekServer(): { client: string; lease_owner: string | null; lease_until: number | null } | undefined {
    return this.st(namedSql('sync/server-row')).get(this.server) as { client: string; lease_owner: string | null; lease_until: number | null } | undefined
  }

  setLease(owner: string | null, until: number | null): void {
    this.st(namedSql('sync/set-lease')).run(owner, until, this.server)
  }

  /** Takes the next sequence numbers for n writes. */
  takeSeqs(n: number): number {
    const first = this.serverRow().next_seq
    this.st(namedSql('sync/set-next-seq')).run(first + n, this.server)
    return first
  }

  outbox(): OutboxRow[] {
    return this.st(namedSql('sync/outbox')).all(this.server) as OutboxRow[]
  }

  addOutbox(seq: number, method: string, path: string, body: string, ack: string): void {
    this.st(namedSql('sync/outbox-add')).run(this.server, seq, method, path, body, ack)
  }

  /** Whether the row was there (false: another sender recorded it first). */
  deleteOutbox(seq: number): boolean {
    return this.st(namedSql('sync/outbox-delete')).run(this.server, seq).changes === 1
  }

  failOutbox(seq: number, error: string): void {
    this.st(namedSql('sync/outbox-fail')).run(error, this.server, seq)
  }

  /** Live experiments (all, or those touched since `since` ms) with their sync rows. */
  experiments(since: number | undefined): LocalExperiment[] {
    const rows = this.st(namedSql('sync/experiments')).all(this.server, since ?? null, since ?? null, since ?? null) as (Omit<LocalExperiment, 'sync'> &
      Record<string, unknown> & { s_id: number | null })[]
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      project: r.project,
      host: r.host,
      pid: r.pid,
      notes: r.notes,
      sync:
        r.s_id === null
          ? undefined
          : {
              experiment_id: r.s_id,
              uuid: r.uuid as string,
              remote_name: r.remote_name as string,
              created: r.created as number,
              status_id: r.status_id as number,
              params: r.params as string,
              tags: r.tags as string,
              notes: r.s_notes as string,
              file_id: r.file_id as number,
            },
    }))
  }

  /** Gives an experiment its uuid and server name (its own name unless it clashed). */
  addExperiment(experimentId: number, uuid: string, remoteName: string): void {
    this.st(namedSql('sync/experiment-add')).run(this.server, experimentId, uuid, remoteName)
  }

  updateExperiment(experimentId: number, set: Partial<Omit<SyncedExperiment, 'experiment_id' | 'uuid'>>): void {
    const keys = Object.keys(set) as (keyof typeof set)[]
    if (keys.length === 0) return
    this.sqlite
      .prepare(`UPDATE sync_experiments SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE server = ? AND experiment_id = ?`)
      .run(...keys.map((k) => set[k]), this.server, experimentId)
  }

  statusChanges(experimentId: number, afterId: number): { id: number; status: string }[] {
    return this.st(namedSql('sync/status-changes')).all(experimentId, afterId) as {
      id: number
      status: string
    }[]
  }

  params(experimentId: number): Record<string, string> {
    const out: Record<string, string> = {}
    for (const r of this.st('SELECT key, value FROM params WHERE experiment_id = ?').all(experimentId) as { key: string; value: string }[]) out[r.key] = r.value
    return out
  }

  tags(experimentId: number): Record<string, string> {
    const out: Record<string, string> = {}
    for (const r of this.st('SELECT key, value FROM tags WHERE experiment_id = ?').all(experimentId) as { key: string; value: string }[]) out[r.key] = r.value
    return out
  }

  files(
    experimentId: number,
    afterId: number,
  ): { id: number; path: string; kind: string; step: number | null; size: number; mtime: number; sha256: string | null; meta: string | null }[] {
    return this.st(namedSql('sync/files-after')).all(experimentId, afterId) as ReturnType<SyncRows['files']>
  }

  series(experimentId: number): SyncedSeries[] {
    return this.st(namedSql('sync/series-state')).all(this.server, experimentId) as SyncedSeries[]
  }

  /**
   * The key of the last of (at most) `limit` points past (step, seq), and how many that is,
   * from one statement: two would let points committed in between make the count and the key disagree.
   */
  lastKeyWithin(seriesId: number, step: number, seq: number, limit: number): { step: number; seq: number; n: number } | undefined {
    const keys = this.st(namedSql('sync/keys-after')).raw().all(seriesId, step, step, seq, limit) as [number, number][]
    const last = keys[keys.length - 1]
    return last ? { step: last[0], seq: last[1], n: keys.length } : undefined
  }

  seriesName(id: number): { name: string; split: string } | undefined {
    return this.st('SELECT name, split FROM series WHERE id = ?').get(id) as { name: string; split: string } | undefined
  }

  countAfter(seriesId: number, step: number, seq: number): number {
    return (
      this.st(namedSql('sync/count-after')).get(seriesId, step, step, seq) as {
        n: number
      }
    ).n
  }

  ackSeries(seriesId: number, step: number, seq: number, n: number): void {
    this.st(namedSql('sync/ack-series')).run(this.server, seriesId, step, seq, n, step, seq)
  }

  /**
   * Records the frontier of a points write handed to the outbox, before it is acknowledged:
   * from then on the points_behind_sync trigger (migration 010) notes any point logged at
   * or behind it in sync_late, and the sender sends those by their keys.
   */
  markSent(seriesId: number, step: number, seq: number): void {
    // In this transaction, every time (a no-op once it exists): a rolled-back first try must not leave it missing.
    this.sqlite.exec(namedSql('sync/late-trigger'))
    this.st(namedSql('sync/mark-sent')).run(this.server, seriesId, step, seq)
  }

  /** The points of a range write: after `from`, up to and including `to`, less those noted late (sent apart). */
  pointsInRange(seriesId: number, from: [number, number], to: [number, number]): LocalPoint[] {
    return this.st(namedSql('sync/points-in-range')).all(seriesId, from[0], from[0], from[1], to[0], to[0], to[1], this.server) as LocalPoint[]
  }

  /** Keys of an experiment's points logged behind what was sent (at most `limit`). */
  lateKeys(experimentId: number, limit: number): [number, number, number][] {
    return this.st(namedSql('sync/late-keys')).raw().all(this.server, experimentId, limit) as [number, number, number][]
  }

  /** How many of an experiment's late points wait to be sent. */
  lateCount(experimentId: number): number {
    return (this.st(namedSql('sync/late-count')).get(this.server, experimentId) as { n: number }).n
  }

  /** One stored point by its key. */
  point(seriesId: number, step: number, seq: number): LocalPoint | undefined {
    return this.st(namedSql('sync/point-by-key')).get(seriesId, step, seq) as LocalPoint | undefined
  }

  /** Forgets a late point once the server acknowledged it. */
  ackLate(seriesId: number, step: number, seq: number): void {
    this.st(namedSql('sync/ack-late')).run(this.server, seriesId, step, seq)
  }
}
