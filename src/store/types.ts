/** A JSON value, as params hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** The latest, min and max of one series, as listings show it. */
export interface SeriesSummary {
  name: string
  split: string
  /** `split/name`, or `name` when split is '' — the key filters use */
  key: string
  count: number
  firstStep: number | null
  lastStep: number | null
  lastTime: number | null
  last: number
  min: number
  max: number
  nanCount: number
}

/** One experiment as listings return it. */
export interface ExperimentSummary {
  id: number
  name: string
  project: string
  /** the status as derived: LOST when an active experiment's heartbeat stopped */
  status: string
  /** the status as last written */
  storedStatus: string
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  updatedAt: number
  heartbeatAt: number | null
  /** ms from start to end (to now while running, to the last heartbeat once LOST); null before start */
  durationMs: number | null
  host: string | null
  pid: number | null
  notes: string
  deletedAt: number | null
  params: Record<string, Json>
  tags: Record<string, string>
  /** keyed by `split/name` (or `name`) */
  series: Record<string, SeriesSummary>
}

/**
 * What a file record says about its file, wherever it travels (the database,
 * an export line, an import, a remote client's upload).
 *
 * @example const p: FilePointer = { path: '/runs/a/model.pt', kind: 'model', step: 9, size: 1024, mtime: 1.7e12, sha256: null, meta: null }
 */
export interface FilePointer {
  path: string
  kind: string
  step: number | null
  size: number
  mtime: number
  sha256: string | null
  meta: Record<string, Json> | null
}

/** A file the database points to. */
export interface FileRecord extends FilePointer {
  id: number
  experiment: string
  createdAt: number
}

/** A status change. */
export interface StatusChange {
  status: string
  time: number
}

/** An experiment's own fields, as export, import and their records carry them. */
export interface ExperimentFields {
  project: string
  status: string
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  updatedAt: number
  heartbeatAt: number | null
  host: string | null
  pid: number | null
  notes: string
}
