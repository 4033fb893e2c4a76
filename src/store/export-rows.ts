// The reads of `mldb export`: one experiment's rows at a time, in the order the
// export file lists them, so a large database streams instead of loading whole.
import type { Sqlite } from './connection.js'
import type { FileRow } from './file-rows.js'

/** A file_pointers row as the export reads it (no id, no experiment name). */
export type ExportFileRow = Omit<FileRow, 'id' | 'experiment'>

/** The per-experiment reads of an export, prepared once for the whole export. */
export interface ExportRows {
  /** Status changes in the order they happened. */
  history(experimentId: number): { status: string; time: number }[]
  /** Params by key; values as JSON text. */
  params(experimentId: number): { key: string; value: string }[]
  /** Tags by key. */
  tags(experimentId: number): { key: string; value: string }[]
  /** File pointers in the order recorded; meta as JSON text. */
  files(experimentId: number): ExportFileRow[]
  /** Series by split, then name. */
  series(experimentId: number): { id: number; name: string; split: string }[]
  /** A series' points as [step, time, value] in step order (equal steps in the order logged), streamed. */
  points(seriesId: number): IterableIterator<[number, number, number | null]>
}

/** Prepares the reads of one export. */
export function exportRows(db: Sqlite): ExportRows {
  const history = db.prepare('SELECT status, time FROM status_history WHERE experiment_id = ? ORDER BY time, id')
  const params = db.prepare('SELECT key, value FROM params WHERE experiment_id = ? ORDER BY key')
  const tags = db.prepare('SELECT key, value FROM tags WHERE experiment_id = ? ORDER BY key')
  const files = db.prepare('SELECT path, kind, step, size, mtime, sha256, meta, created_at FROM file_pointers WHERE experiment_id = ? ORDER BY id')
  const series = db.prepare('SELECT id, name, split FROM series WHERE experiment_id = ? ORDER BY split, name')
  const points = db.prepare('SELECT step, time, value FROM points WHERE series_id = ? ORDER BY step, seq').raw()
  return {
    history: (id) => history.all(id) as { status: string; time: number }[],
    params: (id) => params.all(id) as { key: string; value: string }[],
    tags: (id) => tags.all(id) as { key: string; value: string }[],
    files: (id) => files.all(id) as ExportFileRow[],
    series: (id) => series.all(id) as { id: number; name: string; split: string }[],
    points: (id) => points.iterate(id) as IterableIterator<[number, number, number | null]>,
  }
}
