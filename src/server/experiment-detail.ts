import type { ExperimentDetail } from '../api/database.js'
import { fileProblem } from '../api/files.js'
import type { FileRecord } from '../store/types.js'

/** A file as the dashboard shows it: whether it is still what was recorded, and where to fetch it. */
export interface FileView extends FileRecord {
  problem: null | 'missing' | 'changed'
  url: string
}

/** ExperimentDetail whose files carry `problem` and `url`. */
export interface ExperimentView extends Omit<ExperimentDetail, 'files'> {
  files: FileView[]
}

/** Adds to each file its state on disk now (size and mtime only; hashing is `mldb doctor`'s job) and its URL. */
export function experimentView(detail: ExperimentDetail): ExperimentView {
  return {
    ...detail,
    files: detail.files.map((f) => ({ ...f, problem: fileProblem(f) ?? null, url: `/api/files/${f.id}` })),
  }
}
