// Checks and repairs for `mldb doctor`, over an open Database. Repairs only
// rebuild derived data (series summaries, point blocks) from the points.
import { type DoctorFileRow, liveFilePointers } from '../store/doctor-queries.js'
import * as repair from '../store/repair.js'
import type { Database } from './database.js'

export type { DoctorFileRow } from '../store/doctor-queries.js'
export type { SeriesMismatch } from '../store/repair.js'

/** Problems SQLite's integrity and foreign key checks report (none when all is well). */
export function integrityProblems(db: Database): string[] {
  return repair.integrityProblems(db.sqlite)
}

/** Every file pointer of a live experiment, in the order recorded, to check against the disk. */
export function liveFiles(db: Database): DoctorFileRow[] {
  return liveFilePointers(db.sqlite)
}

/** Rows whose owner is gone, per table (only tables with some are listed). */
export function orphanRows(db: Database): Record<string, number> {
  return repair.orphanRows(db.sqlite)
}

/** Deletes point blocks whose series is gone; returns how many. */
export function deleteOrphanBlocks(db: Database): number {
  return repair.deleteOrphanBlocks(db.sqlite)
}

/** How many series there are, for a progress bar. */
export function seriesCount(db: Database): number {
  return repair.seriesCount(db.sqlite)
}

/** Series whose summary or blocks disagree with their points; `onSeries` after each one checked. */
export function seriesMismatches(db: Database, onSeries?: () => void): repair.SeriesMismatch[] {
  return repair.seriesMismatches(db.sqlite, onSeries)
}

/** Rebuilds one series' summary and point blocks from its points. */
export function rebuildSeries(db: Database, seriesId: number): void {
  repair.rebuildSeries(db.sqlite, seriesId)
}
