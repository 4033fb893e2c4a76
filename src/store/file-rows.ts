import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'
import { decodeStoredJson } from './stored-json.js'
import type { FileRecord, Json } from './types.js'

/** A file_pointers row joined with its experiment's name: a FileRecord as SQLite returns it. */
export type FileRow = Omit<FileRecord, 'meta' | 'createdAt'> & { meta: string | null; created_at: number }

/** A file pointer to record; meta as JSON text. */
export type NewFile = Omit<FileRecord, 'id' | 'experiment' | 'meta'> & { meta: string | null }

/** The row as the API hands it out: camelCase, meta parsed. */
export const fileFromRow = (r: FileRow): FileRecord => ({
  id: r.id,
  experiment: r.experiment,
  path: r.path,
  kind: r.kind,
  step: r.step,
  size: r.size,
  mtime: r.mtime,
  sha256: r.sha256,
  meta: r.meta === null ? null : (decodeStoredJson(r.meta) as Record<string, Json>),
  createdAt: r.created_at,
})

/** The SQL of `file_pointers` rows (sql/files/): pointers to files on disk, never the files. */
export class FileRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** Records a file pointer; returns its row without the experiment name, which the caller knows. */
  insert(experimentId: number, f: NewFile): Omit<FileRow, 'experiment'> {
    return this.stmts.get(sql('files/insert')).get(experimentId, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.createdAt) as Omit<
      FileRow,
      'experiment'
    >
  }

  /** The files of an experiment, of one kind when `kind` is not null, in the order recorded. */
  ofExperiment(experimentId: number, kind: string | null): FileRow[] {
    return this.stmts.get(sql('files/of-experiment')).all({ id: experimentId, kind }) as FileRow[]
  }

  /** A file of a live experiment by its id. */
  byId(fileId: number): FileRow | undefined {
    return this.stmts.get(sql('files/by-id')).get(fileId) as FileRow | undefined
  }

  /** The files of every live experiment, or of one when experimentId is not null, in the order recorded. */
  ofLive(experimentId: number | null): FileRow[] {
    return this.stmts.get(sql('files/of-live')).all({ id: experimentId }) as FileRow[]
  }

  /** Every file of an experiment, live or trashed (to report what a purge leaves on disk). */
  allOf(experimentId: number): FileRow[] {
    return this.stmts.get(sql('files/all-of')).all(experimentId) as FileRow[]
  }
}
