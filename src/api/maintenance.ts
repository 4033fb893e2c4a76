// Checks and repairs for `mldb doctor`, over an open Database. Repairs only
// rebuild derived data (series summaries, point blocks) from the points.
import { check } from '../registry/registry.js'
import { type DoctorFileRow, liveFilePointers } from '../store/doctor-queries.js'
import * as repair from '../store/repair.js'
import { sqliteError } from '../store/sqlite-errors.js'
import type { Database } from './database.js'
import { fileProblem } from './files.js'

export type { DoctorFileRow } from '../store/doctor-queries.js'
export type { SeriesMismatch } from '../store/repair.js'

/** Runs fn with SQLite's own failures (a damaged file, say) turned into mldb errors naming the file. */
function mapped<T>(db: Database, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw sqliteError(e, db.path)
  }
}

/**
 * Runs fn inside one read transaction, so everything it reads is one snapshot
 * of the file even while other processes log: a summary and the points it
 * summarises are then always seen at the same commit. (WAL readers never block
 * writers; the snapshot only delays the next checkpoint until it ends.)
 *
 * @example const bad = inSnapshot(db, () => seriesMismatches(db))
 */
export function inSnapshot<T>(db: Database, fn: () => T): T {
  const s = db.sqlite
  if (s.inTransaction) return fn()
  // better-sqlite3's deferred transaction: BEGIN, then the first read below starts the snapshot before fn's.
  const read = s.transaction(() => {
    s.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get()
    return fn()
  })
  return mapped(db, () => read.deferred())
}

/** Problems SQLite's integrity and foreign key checks report (none when all is well). */
export function integrityProblems(db: Database): string[] {
  return mapped(db, () => repair.integrityProblems(db.sqlite))
}

/** Every file pointer of a live experiment, in the order recorded, to check against the disk. */
export function liveFiles(db: Database): DoctorFileRow[] {
  return mapped(db, () => liveFilePointers(db.sqlite))
}

/** Rows whose owner is gone, per table (only tables with some are listed). */
export function orphanRows(db: Database): Record<string, number> {
  return mapped(db, () => repair.orphanRows(db.sqlite))
}

/** Deletes point blocks whose series is gone; returns how many. */
export function deleteOrphanBlocks(db: Database): number {
  return mapped(db, () => repair.deleteOrphanBlocks(db.sqlite))
}

/** How many series there are, for a progress bar. */
export function seriesCount(db: Database): number {
  return mapped(db, () => repair.seriesCount(db.sqlite))
}

/** Series whose summary or blocks disagree with their points; `onSeries` after each one checked. Call it inside inSnapshot. */
export function seriesMismatches(db: Database, onSeries?: () => void): repair.SeriesMismatch[] {
  return mapped(db, () => repair.seriesMismatches(db.sqlite, onSeries))
}

/** Rebuilds one series' summary and point blocks from its points. */
export function rebuildSeries(db: Database, seriesId: number): void {
  mapped(db, () => repair.rebuildSeries(db.sqlite, seriesId))
}

/**
 * Rebuilds one series only if, checked again inside the write transaction, it
 * still disagrees with its points; returns whether it did. What `doctor --fix`
 * uses, so that it never rewrites a series that is consistent.
 *
 * @example for (const s of bad) if (rebuildSeriesIfWrong(db, s.seriesId)) fixed++
 */
export function rebuildSeriesIfWrong(db: Database, seriesId: number): boolean {
  return mapped(db, () => repair.rebuildSeriesIfWrong(db.sqlite, seriesId))
}

/** A registered model version whose file is gone or no longer has the sha256 it was registered with. */
export interface VersionProblem {
  model: string
  version: number
  path: string
  problem: 'missing' | 'changed'
}

/**
 * The model versions whose file is missing or changed. A version whose file
 * record still matches the disk (size, mtime, and the same sha256 when the record
 * has one) is taken as unchanged, as doctor takes files, since registration
 * hashed that same file; any other is re-hashed (model weights keep their size
 * when retrained, so size alone proves nothing). `hash` re-hashes every one.
 *
 * @example for (const p of versionProblems(db, liveFiles(db), false)) console.log(`${p.model} v${p.version}: ${p.problem}`)
 */
export function versionProblems(db: Database, files: DoctorFileRow[], hash: boolean, onVersion?: () => void): VersionProblem[] {
  const byId = new Map(files.map((f) => [f.id, f]))
  const problems: VersionProblem[] = []
  for (const v of mapped(db, () => db.listModelVersions())) {
    const rec = v.fileId === null ? undefined : byId.get(v.fileId)
    const unchanged = !hash && rec !== undefined && rec.path === v.path && rec.size === v.size && (rec.sha256 ?? v.sha256) === v.sha256 && !fileProblem(rec)
    const state = unchanged ? 'ok' : check(v).state
    if (state !== 'ok') problems.push({ model: v.name, version: v.version, path: v.path, problem: state })
    onVersion?.()
  }
  return problems
}
