import type { Statement } from 'better-sqlite3'
import type { Sqlite } from './connection.js'

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

const SUMMARY = `
  first_step = CASE WHEN first_step IS NULL OR @first_step < first_step THEN @first_step ELSE first_step END,
  last_time  = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_time ELSE last_time END,
  last_value = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_value ELSE last_value END,
  last_step  = CASE WHEN last_step IS NULL OR @last_step >= last_step THEN @last_step ELSE last_step END,
  min_value  = CASE WHEN @min IS NULL THEN min_value WHEN min_value IS NULL OR @min < min_value THEN @min ELSE min_value END,
  max_value  = CASE WHEN @max IS NULL THEN max_value WHEN max_value IS NULL OR @max > max_value THEN @max ELSE max_value END,
  nan_count  = nan_count + @nan`

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
  private readonly readPending: Statement
  private readonly insertBlock: Statement
  private readonly markBlocked: Statement
  private readonly widenBlock: Statement

  constructor(db: Sqlite) {
    // seq 0 first; a second value at the same step takes the next seq (rare path).
    this.insert = db.prepare('INSERT OR IGNORE INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)')
    this.insertDuplicate = db.prepare(
      'INSERT INTO points (series_id, step, seq, time, value) VALUES (@id, @step, (SELECT max(seq) + 1 FROM points WHERE series_id = @id AND step = @step), @time, @value)',
    )
    this.updateOne = db.prepare(`UPDATE series SET count = count + 1, ${SUMMARY},
      unblocked = unblocked + (blocked_until IS NULL OR @last_step > blocked_until)
      WHERE id = @id RETURNING unblocked, blocked_until`)
    this.updateMany = db.prepare(`UPDATE series SET count = count + @n, ${SUMMARY}, unblocked = unblocked + @past WHERE id = @id`)
    this.readState = db.prepare('SELECT blocked_until, unblocked FROM series WHERE id = ?')
    this.readPending = db.prepare('SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq').raw()
    this.insertBlock = db.prepare(
      'INSERT INTO point_blocks (series_id, first_step, last_step, count, min_value, max_value, last_value, last_time, nan_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.markBlocked = db.prepare('UPDATE series SET blocked_until = ?, unblocked = ? WHERE id = ?')
    // All SET expressions read the old row; equal steps: the later-logged point is the block's last.
    this.widenBlock = db.prepare(`UPDATE point_blocks SET
        count = count + 1,
        min_value = CASE WHEN @value IS NULL THEN min_value WHEN min_value IS NULL OR @value < min_value THEN @value ELSE min_value END,
        max_value = CASE WHEN @value IS NULL THEN max_value WHEN max_value IS NULL OR @value > max_value THEN @value ELSE max_value END,
        nan_count = nan_count + (@value IS NULL),
        last_value = CASE WHEN @step >= last_step THEN @value ELSE last_value END,
        last_time = CASE WHEN @step >= last_step THEN @time ELSE last_time END,
        last_step = CASE WHEN @step > last_step THEN @step ELSE last_step END,
        first_step = min(first_step, @step)
      WHERE series_id = @id AND first_step = coalesce(
        (SELECT max(first_step) FROM point_blocks WHERE series_id = @id AND first_step <= @step),
        (SELECT min(first_step) FROM point_blocks WHERE series_id = @id))`)
  }

  private insertPoint(seriesId: number, p: NewPoint): void {
    if (this.insert.run(seriesId, p.step, p.time, p.value).changes === 0) {
      this.insertDuplicate.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    }
  }

  /** The hot path: one point, three statements in the common case. */
  writeOne(seriesId: number, p: NewPoint): void {
    this.insertPoint(seriesId, p)
    const nan = Number.isNaN(p.value)
    const state = this.updateOne.get({
      id: seriesId,
      first_step: p.step,
      last_step: p.step,
      last_time: p.time,
      last_value: p.value,
      min: nan ? null : p.value,
      max: nan ? null : p.value,
      nan: nan ? 1 : 0,
    }) as { unblocked: number; blocked_until: number | null } | undefined
    if (!state) throw new StaleIdError(`series ${seriesId}`)
    if (state.blocked_until !== null && p.step <= state.blocked_until) {
      this.widenBlock.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    } else if (state.unblocked >= BLOCK_SIZE) {
      this.closeBlocks(seriesId, this.pending(seriesId, state.blocked_until))
    }
  }

  /** Many points of one series: one summary update and blocks built from memory. */
  writeMany(seriesId: number, points: readonly NewPoint[]): void {
    if (points.length === 0) return
    if (points.length === 1) {
      this.writeOne(seriesId, points[0] as NewPoint)
      return
    }
    const state = this.readState.get(seriesId) as { blocked_until: number | null; unblocked: number } | undefined
    if (!state) throw new StaleIdError(`series ${seriesId}`)
    const bu = state.blocked_until
    // Points still past the last block, read before this batch lands (fewer than 64).
    const fresh: NewPoint[] = []
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let nan = 0
    let first = points[0] as NewPoint
    let last = first
    for (const p of points) {
      if (Number.isNaN(p.value)) nan++
      else {
        if (p.value < min) min = p.value
        if (p.value > max) max = p.value
      }
      if (p.step < first.step) first = p
      if (p.step >= last.step) last = p
      if (bu === null || p.step > bu) fresh.push(p)
    }
    const pending = state.unblocked + fresh.length >= BLOCK_SIZE ? this.pending(seriesId, bu) : undefined
    for (const p of points) {
      this.insertPoint(seriesId, p)
      if (bu !== null && p.step <= bu) this.widenBlock.run({ id: seriesId, step: p.step, time: p.time, value: p.value })
    }
    const any = nan < points.length
    this.updateMany.run({
      id: seriesId,
      n: points.length,
      first_step: first.step,
      last_step: last.step,
      last_time: last.time,
      last_value: last.value,
      min: any ? min : null,
      max: any ? max : null,
      nan,
      past: fresh.length,
    })
    if (pending) {
      // Stable sort: at equal steps, earlier rows (lower seq) stay first, as in the table.
      const all = pending.concat(fresh).sort((a, b) => a.step - b.step)
      this.closeBlocks(seriesId, all)
    }
  }

  private pending(seriesId: number, blockedUntil: number | null): NewPoint[] {
    const rows = this.readPending.all(seriesId, blockedUntil ?? Number.MIN_SAFE_INTEGER) as [number, number, number | null][]
    return rows.map(([step, time, value]) => ({ step, time, value: fromSql(value) }))
  }

  /**
   * Cuts `points` (all past blocked_until, in table order) into blocks of at least
   * 64 points. A block never ends between two points of the same step, so
   * "step <= blocked_until" tells exactly which points a block holds.
   */
  private closeBlocks(seriesId: number, points: NewPoint[]): void {
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
  }
}
