// Checks and repairs for `mldb doctor`. Repairs only rebuild derived data
// (series summary columns, point_blocks) from the points, so they lose nothing.
import type { Sqlite } from './connection.js'
import { BLOCK_SIZE } from './points.js'
import { BEFORE_FIRST_STEP } from './steps.js'

/** Problems PRAGMA integrity_check and foreign_key_check report ('ok' gives none). */
export function integrityProblems(db: Sqlite): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[]
  const out = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok')
  const fk = db.pragma('foreign_key_check') as { table: string; parent: string }[]
  for (const r of fk) out.push(`a row of ${r.table} points to a missing row of ${r.parent}`)
  return out
}

/** Rows whose owner is gone, per kind (only kinds with some are listed). */
export function orphanRows(db: Sqlite): Record<string, number> {
  const checks: Record<string, string> = {
    points: 'SELECT count(*) FROM points WHERE series_id NOT IN (SELECT id FROM series)',
    point_blocks: 'SELECT count(*) FROM point_blocks WHERE series_id NOT IN (SELECT id FROM series)',
    series: 'SELECT count(*) FROM series WHERE experiment_id NOT IN (SELECT id FROM experiments)',
    params: 'SELECT count(*) FROM params WHERE experiment_id NOT IN (SELECT id FROM experiments)',
    tags: 'SELECT count(*) FROM tags WHERE experiment_id NOT IN (SELECT id FROM experiments)',
    file_pointers: 'SELECT count(*) FROM file_pointers WHERE experiment_id NOT IN (SELECT id FROM experiments)',
    status_history: 'SELECT count(*) FROM status_history WHERE experiment_id NOT IN (SELECT id FROM experiments)',
    experiments: 'SELECT count(*) FROM experiments WHERE project_id NOT IN (SELECT id FROM projects)',
  }
  const out: Record<string, number> = {}
  for (const [table, sql] of Object.entries(checks)) {
    const n = db.prepare(sql).pluck().get() as number
    if (n > 0) out[table] = n
  }
  return out
}

/** Deletes point_blocks whose series is gone: they only summarise points, so nothing is lost. */
export function deleteOrphanBlocks(db: Sqlite): number {
  return db.prepare('DELETE FROM point_blocks WHERE series_id NOT IN (SELECT id FROM series)').run().changes
}

/** A series whose summary columns or blocks disagree with its points. */
export interface SeriesMismatch {
  seriesId: number
  experiment: string
  series: string
  problems: string[]
}

interface Actual {
  count: number
  firstStep: number | null
  lastStep: number | null
  lastTime: number | null
  lastValue: number | null
  min: number | null
  max: number | null
  nans: number
}

/** The summary of the points up to step `upTo` (all by default: an open tail past last_step is not in the summary yet, migration 006). */
function actualSummary(db: Sqlite, seriesId: number, upTo = Number.MAX_SAFE_INTEGER): Actual {
  const a = db
    .prepare(
      'SELECT count(*) AS n, min(step) AS first, max(step) AS last, min(value) AS mn, max(value) AS mx, coalesce(sum(value IS NULL), 0) AS nans FROM points WHERE series_id = ? AND step <= ?',
    )
    .get(seriesId, upTo) as { n: number; first: number | null; last: number | null; mn: number | null; mx: number | null; nans: number }
  const last = db.prepare('SELECT time, value FROM points WHERE series_id = ? AND step <= ? ORDER BY step DESC, seq DESC LIMIT 1').get(seriesId, upTo) as
    | { time: number; value: number | null }
    | undefined
  return { count: a.n, firstStep: a.first, lastStep: a.last, lastTime: last?.time ?? null, lastValue: last?.value ?? null, min: a.mn, max: a.mx, nans: a.nans }
}

interface SeriesRow {
  id: number
  experiment: string
  key: string
  count: number
  first_step: number | null
  last_step: number | null
  last_time: number | null
  last_value: number | null
  min_value: number | null
  max_value: number | null
  nan_count: number
  blocked_until: number | null
  unblocked: number
  tail: number
}

const SERIES_ROWS = `SELECT s.id, coalesce(e.name, '?') AS experiment, CASE WHEN s.split = '' THEN s.name ELSE s.split || '/' || s.name END AS key,
     s.count, s.first_step, s.last_step, s.last_time, s.last_value, s.min_value, s.max_value, s.nan_count, s.blocked_until, s.unblocked, s.tail
   FROM series s LEFT JOIN experiments e ON e.id = s.experiment_id`

/**
 * Every series that disagrees with its points; `onSeries` is called per series
 * checked (progress). Run it inside one read transaction (maintenance.ts does):
 * statement by statement, a writer's commit between reading a summary and
 * reading its points looks like damage.
 */
export function seriesMismatches(db: Sqlite, onSeries?: () => void): SeriesMismatch[] {
  const rows = db.prepare(`${SERIES_ROWS} ORDER BY s.id`).all() as SeriesRow[]
  const out: SeriesMismatch[] = []
  for (const s of rows) {
    const m = mismatchOf(db, s)
    if (m) out.push(m)
    onSeries?.()
  }
  return out
}

/** What is wrong with one series, or undefined when its summary and blocks agree with its points. */
function mismatchOf(db: Sqlite, s: SeriesRow): SeriesMismatch | undefined {
  const blockSum = db.prepare('SELECT coalesce(sum(count), 0) FROM point_blocks WHERE series_id = ?').pluck()
  const covered = db.prepare('SELECT count(*) FROM points WHERE series_id = ? AND step <= ?').pluck()
  const a = actualSummary(db, s.id, s.tail ? (s.last_step ?? BEFORE_FIRST_STEP) : undefined)
  const problems: string[] = []
  const cmp = (what: string, stored: number | null, actual: number | null) => {
    if (stored !== actual) problems.push(`${what} is ${stored ?? 'empty'} but the points say ${actual ?? 'empty'}`)
  }
  cmp('count', s.count, a.count)
  cmp('first step', s.first_step, a.firstStep)
  cmp('last step', s.last_step, a.lastStep)
  cmp('last time', s.last_time, a.lastTime)
  if (a.count > 0) cmp('last value', s.last_value, a.lastValue)
  cmp('min', s.min_value, a.min)
  cmp('max', s.max_value, a.max)
  cmp('NaN count', s.nan_count, a.nans)
  const inBlocks = blockSum.get(s.id) as number
  const shouldCover = s.blocked_until === null ? 0 : (covered.get(s.id, s.blocked_until) as number)
  if (inBlocks !== shouldCover || s.unblocked !== a.count - shouldCover) problems.push('point_blocks do not cover the points they should')
  return problems.length ? { seriesId: s.id, experiment: s.experiment, series: s.key, problems } : undefined
}

/**
 * Rebuilds one series (see rebuildSeries) only if, checked again inside the
 * write transaction, it still disagrees with its points: a series found wrong
 * in an older snapshot may have been fine all along, and `--fix` must never
 * rewrite what is consistent. Returns whether it rebuilt.
 */
export function rebuildSeriesIfWrong(db: Sqlite, seriesId: number): boolean {
  return db
    .transaction(() => {
      const row = db.prepare(`${SERIES_ROWS} WHERE s.id = ?`).get(seriesId) as SeriesRow | undefined
      if (!row || !mismatchOf(db, row)) return false
      rebuildInTransaction(db, seriesId)
      return true
    })
    .immediate()
}

/** How many series a check walks through, for a progress bar. */
export function seriesCount(db: Sqlite): number {
  return db.prepare('SELECT count(*) FROM series').pluck().get() as number
}

/**
 * Recomputes one series' summary columns and its point_blocks from its points,
 * cutting blocks the way the writer does (>= 64 points, never between two
 * points of the same step). One transaction.
 */
export function rebuildSeries(db: Sqlite, seriesId: number): void {
  db.transaction(() => rebuildInTransaction(db, seriesId)).immediate()
}

function rebuildInTransaction(db: Sqlite, seriesId: number): void {
  const a = actualSummary(db, seriesId)
  db.prepare('DELETE FROM point_blocks WHERE series_id = ?').run(seriesId)
  const points = db.prepare('SELECT step, time, value FROM points WHERE series_id = ? ORDER BY step, seq').raw().all(seriesId) as [
    number,
    number,
    number | null,
  ][]
  const insert = db.prepare(
    'INSERT INTO point_blocks (series_id, first_step, last_step, count, min_value, max_value, last_value, last_time, nan_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  let start = 0
  let blockedUntil: number | null = null
  while (points.length - start >= BLOCK_SIZE) {
    let end = start + BLOCK_SIZE
    while (end < points.length && points[end]?.[0] === points[end - 1]?.[0]) end++
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let nan = 0
    for (let i = start; i < end; i++) {
      const v = (points[i] as [number, number, number | null])[2]
      if (v === null) nan++
      else {
        if (v < min) min = v
        if (v > max) max = v
      }
    }
    const first = points[start] as [number, number, number | null]
    const last = points[end - 1] as [number, number, number | null]
    const any = nan < end - start
    insert.run(seriesId, first[0], last[0], end - start, any ? min : null, any ? max : null, last[2], last[1], nan)
    blockedUntil = last[0]
    start = end
  }
  db.prepare(
    `UPDATE series SET count = ?, first_step = ?, last_step = ?, last_time = ?, last_value = ?, min_value = ?, max_value = ?, nan_count = ?,
       blocked_until = ?, unblocked = ? WHERE id = ?`,
  ).run(a.count, a.firstStep, a.lastStep, a.lastTime, a.lastValue, a.min, a.max, a.nans, blockedUntil, points.length - start, seriesId)
}
