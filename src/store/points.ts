import type { Statement } from 'better-sqlite3'
import { sql } from '../named-sql.js'
import { type Sqlite, withShortBusyWait } from './connection.js'
import { batchSummary } from './point-batch.js'
import { sqliteCode } from './sqlite-errors.js'
import { BEFORE_FIRST_STEP } from './steps.js'

/** A value to write: step, wall time in ms, value (NaN allowed). */
export interface NewPoint {
  step: number
  time: number
  value: number
}

/** A point as read back. */
export interface Point {
  step: number
  time: number
  value: number
}

/**
 * A row id the caller had cached is gone (another process purged the
 * experiment, or a transaction that created it rolled back). The caller drops
 * its caches and tries again; the transaction is rolled back, so nothing half-lands.
 */
export class StaleIdError extends Error {
  override name = 'StaleIdError'
}

/** Points per closed block in point_blocks (see migrations/001-initial.sql). */
export const BLOCK_SIZE = 64

/** SQLite hands NaN back as NULL; we hand it back as NaN. */
export const fromSql = (v: number | null): number => (v === null ? Number.NaN : v)

/**
 * Writes points and keeps `series` and `point_blocks` in step with them. Callers
 * wrap each call in a transaction; statements are prepared once per connection.
 */
export class PointWriter {
  private readonly insert: Statement
  private readonly insertDuplicate: Statement
  private readonly updateOne: Statement
  private readonly updateMany: Statement
  private readonly readState: Statement
  private readonly insertBlock: Statement
  private readonly markBlocked: Statement
  private readonly widenBlock: Statement
  private readonly appendTail: Statement
  private readonly readFold: Statement
  private readonly readTail: Statement
  private readonly markTail: Statement

  constructor(db: Sqlite) {
    // The statements are sql/points/*.sql and sql/series/*.sql, shared with the Python client.
    this.appendTail = db.prepare(sql('points/append-tail'))
    this.readFold = db.prepare(sql('series/fold-state'))
    this.readTail = db.prepare(sql('points/after-step')).raw()
    this.markTail = db.prepare(sql('series/set-tail'))
    this.insert = db.prepare(sql('points/insert'))
    this.insertDuplicate = db.prepare(sql('points/insert-next-seq'))
    this.updateOne = db.prepare(sql('series/add-one'))
    this.updateMany = db.prepare(sql('series/add-many'))
    this.readState = db.prepare(sql('series/block-state'))
    this.insertBlock = db.prepare(sql('points/block-insert'))
    this.markBlocked = db.prepare(sql('series/set-blocked'))
    this.widenBlock = db.prepare(sql('points/block-widen'))
  }

  private insertPoint(seriesId: number, p: NewPoint): void {
    if (this.insert.run(seriesId, p.step, p.time, p.value).changes === 0) {
      this.insertDuplicate.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    }
  }

  /**
   * The hot path: appends one point to the series' tail in one autocommit
   * statement (one page written). False when the series has no tail open, the
   * step is not past its summary, the step is taken, or the series is gone:
   * the caller then takes writeOne in a transaction. Outside a transaction only.
   */
  append(seriesId: number, p: NewPoint): boolean {
    return this.appendTail.run({ id: seriesId, step: p.step, time: p.time, value: p.value }).changes === 1
  }

  /**
   * One point inside a transaction; opens the series' tail for later appends
   * (unless `openTail` is false) and folds it. Returns how many points lie past
   * blocked_until afterwards (the caller's count until the next fold).
   */
  writeOne(seriesId: number, p: NewPoint, openTail = true): number {
    const state = this.readFold.get(seriesId) as FoldState | undefined
    if (!state) throw new StaleIdError(`series ${seriesId}`)
    if (state.last_step === null || p.step > state.last_step) {
      // Past the summary: it joins the tail, which the fold below takes in.
      this.insertPoint(seriesId, p)
      if (openTail && state.tail === 0) this.markTail.run(1, seriesId)
      return this.fold(seriesId)
    }
    this.insertPoint(seriesId, p)
    const nan = Number.isNaN(p.value)
    this.updateOne.run({
      id: seriesId,
      first_step: p.step,
      last_step: p.step,
      last_time: p.time,
      last_value: p.value,
      min: nan ? null : p.value,
      max: nan ? null : p.value,
      nan: nan ? 1 : 0,
    })
    const after = this.readState.get(seriesId) as { blocked_until: number | null }
    if (after.blocked_until !== null && p.step <= after.blocked_until) {
      this.widenBlock.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    }
    return this.fold(seriesId)
  }

  /**
   * Folds the series' tail (its points past last_step) into its summary, then
   * closes blocks once 64 points lie past blocked_until — the same rows an
   * eager writer would have left. Inside a transaction. Returns the points past
   * blocked_until afterwards; 0 when the series is gone (nothing to fold).
   */
  fold(seriesId: number): number {
    const state = this.readFold.get(seriesId) as FoldState | undefined
    if (!state) return 0
    const tail = this.readTail.all(seriesId, state.last_step ?? BEFORE_FIRST_STEP) as [number, number, number | null][]
    let unblocked = state.unblocked
    if (tail.length > 0) {
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      let nan = 0
      for (const row of tail) {
        const v = row[2]
        if (v === null) nan++
        else {
          if (v < min) min = v
          if (v > max) max = v
        }
      }
      // In (step, seq) order: the first row has the least step, the last is the latest-logged at the greatest.
      const first = tail[0] as [number, number, number | null]
      const last = tail[tail.length - 1] as [number, number, number | null]
      const any = nan < tail.length
      this.updateMany.run({
        id: seriesId,
        n: tail.length,
        first_step: first[0],
        last_step: last[0],
        last_time: last[1],
        last_value: last[2],
        min: any ? min : null,
        max: any ? max : null,
        nan,
        past: tail.length, // every tail step is past last_step >= blocked_until
      })
      unblocked += tail.length
    }
    if (unblocked >= BLOCK_SIZE) unblocked = this.closeBlocks(seriesId, this.pending(seriesId, state.blocked_until))
    return unblocked
  }

  /** Folds the tail of the series and marks it closed (tail = 0). Inside a transaction. */
  closeTail(seriesId: number): void {
    this.fold(seriesId)
    this.markTail.run(0, seriesId)
  }

  /**
   * Many points of one series: the tail folded first, then one summary update
   * and blocks built from memory. Returns the points past blocked_until afterwards.
   */
  writeMany(seriesId: number, points: readonly NewPoint[]): number {
    if (points.length === 1) return this.writeOne(seriesId, points[0] as NewPoint, false)
    if (!this.readFold.get(seriesId)) throw new StaleIdError(`series ${seriesId}`)
    const folded = this.fold(seriesId)
    if (points.length === 0) return folded
    const state = this.readState.get(seriesId) as { blocked_until: number | null; unblocked: number }
    const bu = state.blocked_until
    // This batch's points past the last block.
    const fresh = bu === null ? points : points.filter((p) => p.step > bu)
    const { first, last, min, max, nan } = batchSummary(points)
    // Points already past the last block, read before this batch lands (fewer than 64).
    const pending = state.unblocked + fresh.length >= BLOCK_SIZE ? this.pending(seriesId, bu) : undefined
    for (const p of points) {
      this.insertPoint(seriesId, p)
      if (bu !== null && p.step <= bu) this.widenBlock.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    }
    this.updateMany.run({
      id: seriesId,
      n: points.length,
      first_step: first.step,
      last_step: last.step,
      last_time: last.time,
      last_value: last.value,
      min: min ?? null,
      max: max ?? null,
      nan,
      past: fresh.length,
    })
    if (!pending) return state.unblocked + fresh.length
    // Stable sort: at equal steps, earlier rows (lower seq) stay first, as in the table.
    const all = pending.concat(fresh).sort((a, b) => a.step - b.step)
    return this.closeBlocks(seriesId, all)
  }

  private pending(seriesId: number, blockedUntil: number | null): NewPoint[] {
    const rows = this.readTail.all(seriesId, blockedUntil ?? BEFORE_FIRST_STEP) as [number, number, number | null][]
    return rows.map(([step, time, value]) => ({ step, time, value: fromSql(value) }))
  }

  /**
   * Cuts `points` (all past blocked_until, in table order) into blocks of at least
   * 64 points. A block never ends between two points of the same step, so
   * "step <= blocked_until" tells exactly which points a block holds. Returns
   * the points left past blocked_until.
   */
  private closeBlocks(seriesId: number, points: NewPoint[]): number {
    let start = 0
    let lastClosed: number | undefined
    while (points.length - start >= BLOCK_SIZE) {
      let end = start + BLOCK_SIZE // exclusive
      while (end < points.length && (points[end] as NewPoint).step === (points[end - 1] as NewPoint).step) end++
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      let nan = 0
      for (let i = start; i < end; i++) {
        const v = (points[i] as NewPoint).value
        if (Number.isNaN(v)) nan++
        else {
          if (v < min) min = v
          if (v > max) max = v
        }
      }
      const firstP = points[start] as NewPoint
      const lastP = points[end - 1] as NewPoint
      const any = nan < end - start
      this.insertBlock.run(seriesId, firstP.step, lastP.step, end - start, any ? min : null, any ? max : null, lastP.value, lastP.time, nan)
      lastClosed = lastP.step
      start = end
    }
    if (lastClosed !== undefined) this.markBlocked.run(lastClosed, points.length - start, seriesId)
    return points.length - start
  }
}

interface FoldState {
  last_step: number | null
  blocked_until: number | null
  unblocked: number
  tail: number
}

const writers = new WeakMap<Sqlite, { writer: PointWriter; open: Statement }>()

/** The PointWriter of a connection, made on first use. */
export function pointWriter(db: Sqlite): PointWriter {
  return writerState(db).writer
}

function writerState(db: Sqlite): { writer: PointWriter; open: Statement } {
  let w = writers.get(db)
  if (!w) {
    w = { writer: new PointWriter(db), open: db.prepare(sql('series/open-tails')).pluck() }
    writers.set(db, w)
  }
  return w
}

/**
 * Folds every open series tail into its summary (and closes those tails), so
 * that the `series` rows read next describe every point. Cheap when no tail is
 * open (one probe of a partial index). A read-only connection cannot fold: it
 * reads summaries that lag the points of series being logged one call at a
 * time by fewer than 64 points. Inside a caller's transaction it folds in a
 * savepoint; a fold that cannot take the write lock leaves the read as it was.
 *
 * @example foldTails(db.sqlite); db.sqlite.prepare('SELECT count FROM series').all()
 */
export function foldTails(db: Sqlite, ids?: readonly number[]): void {
  if (db.readonly || !db.open) return
  const w = writerState(db)
  const open = w.open.all() as number[]
  const todo = ids ? open.filter((id) => ids.includes(id)) : open
  if (todo.length === 0) return
  const fold = db.transaction(() => {
    for (const id of todo) w.writer.closeTail(id)
  })
  try {
    if (db.inTransaction) fold()
    else withShortBusyWait(db, () => fold.immediate()) // a read waits briefly, not the full busy timeout
  } catch (e) {
    const code = sqliteCode(e)
    // Busy or read-only: the summaries read next lag by under 64 points; anything else is real.
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_READONLY')) throw e
  }
}
