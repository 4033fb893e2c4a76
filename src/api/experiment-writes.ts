import { hostname } from 'node:os'
import { ValidationError } from '../errors.js'
import { withBusyRetry } from '../store/connection.js'
import type { ExperimentRows } from '../store/experiment-rows.js'
import { BLOCK_SIZE, type NewPoint, type PointWriter, StaleIdError } from '../store/points.js'
import type { SeriesRows } from '../store/series-rows.js'
import type { Heartbeats } from './heartbeats.js'
import type { IdCache } from './id-cache.js'

/** Statuses that set started_at once (and are kept alive by a heartbeat). */
export const ACTIVE = new Set(['TRAINING', 'VALIDATING'])
/** Statuses that set ended_at. */
export const FINAL = new Set(['COMPLETE', 'FAILED', 'KILLED', 'PRUNED'])

/** What the write helpers need of their Database connection. */
export interface WriteContext {
  writer: PointWriter | undefined
  ids: IdCache
  heartbeats: Heartbeats
  expRows: ExperimentRows
  seriesRows: SeriesRows
  /** the connection's clock, ms */
  now: () => number
  /** runs fn as one write call (WriteTransactions.write) */
  write: <T>(fn: () => T) => T
  /** whether a one-statement append may run now: open, and outside any transaction */
  canAppend: () => boolean
  afterCommit: () => void
}

/**
 * The write helpers behind Database's calls: experiment and series ids found
 * or created (and cached), points written with their series summaries, and
 * the heartbeat logging refreshes. Validation stays with the calls; these run
 * inside a write (WriteTransactions), except `append`, the one-page path.
 */
export class ExperimentWrites {
  constructor(private readonly c: WriteContext) {}

  /** Checks the changes of an UPDATE of one experiment row by id; a row gone means a stale cached id. */
  updated(changes: number): void {
    if (changes === 0) throw new StaleIdError('experiment')
  }

  /** The id of a live experiment, created (TRAINING, in `project`) when new. Inside a write. */
  ensureExp(name: string, status = 'TRAINING', project = 'default'): number {
    const { ids, expRows } = this.c
    const cached = ids.experiment(name)
    if (cached !== undefined) return cached
    const row = expRows.byName(name)
    if (row) {
      if (row.deleted_at !== null) {
        throw new ValidationError(`experiment "${name}" is in the trash; restore it (mldb restore) or use another name`, 'experiment')
      }
      ids.setExperiment(name, row.id)
      return row.id
    }
    const now = this.c.now()
    const id = expRows.insert({
      name,
      projectId: expRows.projectId(project, now),
      status,
      now,
      startedAt: ACTIVE.has(status) ? now : null,
      endedAt: FINAL.has(status) ? now : null,
      host: hostname(),
      pid: process.pid,
    })
    ids.setExperiment(name, id)
    return id
  }

  /** Logging counts as a sign of life, at most every 10 s per experiment. Inside a write. */
  maybeBeat(id: number, now: number): void {
    if (!this.c.heartbeats.due(id, now)) return
    this.updated(this.c.expRows.heartbeatAndTouch(id, now))
    this.c.heartbeats.wrote(id, now)
  }

  /** The id of the series, created when new (and cached). Inside a write. */
  seriesId(expId: number, name: string, split: string): number {
    const cached = this.c.ids.seriesId(expId, name, split)
    if (cached !== undefined) return cached
    const id = this.c.seriesRows.ensure(expId, name, split)
    this.c.ids.setSeries(expId, name, split, id)
    return id
  }

  /** One point, the experiment created when new. Inside a write. */
  logOne(exp: string, name: string, split: string, step: number, value: number): void {
    const id = this.ensureExp(exp)
    const now = this.c.now()
    const sid = this.seriesId(id, name, split)
    this.c.ids.setPastBlocked(sid, (this.c.writer as PointWriter).writeOne(sid, { step, time: now, value }))
    this.maybeBeat(id, now)
  }

  /** Points of several series of one experiment. Inside a write. */
  logMany(exp: string, groups: Iterable<{ name: string; split: string; points: NewPoint[] }>, now: number): void {
    const id = this.ensureExp(exp)
    for (const g of groups) {
      const sid = this.seriesId(id, g.name, g.split)
      this.c.ids.setPastBlocked(sid, (this.c.writer as PointWriter).writeMany(sid, g.points))
    }
    this.maybeBeat(id, now)
  }

  /**
   * The one-page path of addMetricValue: a single autocommit INSERT into the
   * series' tail (durable when it returns, like any commit). Only for a series
   * this connection has written before, outside a caller's transaction and
   * between heartbeats; false sends the call down the transactional path.
   */
  append(exp: string, name: string, split: string, step: number, value: number): boolean {
    const { ids } = this.c
    const expId = ids.experiment(exp)
    if (expId === undefined || !this.c.canAppend()) return false
    const sid = ids.seriesId(expId, name, split)
    if (sid === undefined) return false
    const past = ids.pastBlocked(sid)
    const time = this.c.now()
    if (past === undefined || this.c.heartbeats.due(expId, time)) return false
    const writer = this.c.writer as PointWriter
    if (!withBusyRetry(() => writer.append(sid, { step, time, value }))) return false
    this.c.afterCommit()
    // 64 points past the last block: fold them in and close a block, as a batch would.
    if (past + 1 < BLOCK_SIZE) ids.setPastBlocked(sid, past + 1)
    else {
      try {
        ids.setPastBlocked(
          sid,
          this.c.write(() => writer.fold(sid)),
        )
      } catch {
        // The point is committed and must not be reported lost; the next call folds in a transaction.
        ids.dropPastBlocked(sid)
      }
    }
    return true
  }
}
