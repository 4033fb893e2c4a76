// The reads of `mldb doctor` that are not repairs (those are in repair.ts).
import type { Sqlite } from './connection.js'
import type { FileRecord } from './types.js'

/** A file pointer of a live experiment as doctor checks it: without its meta, which a check never reads. */
export type DoctorFileRow = Omit<FileRecord, 'meta'> & { meta?: null }

/** Every file pointer of a live (not trashed) experiment, in the order recorded. */
export function liveFilePointers(db: Sqlite): DoctorFileRow[] {
  return db
    .prepare(
      `SELECT f.id, e.name AS experiment, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.created_at AS createdAt
       FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id WHERE e.deleted_at IS NULL ORDER BY f.id`,
    )
    .all() as DoctorFileRow[]
}
