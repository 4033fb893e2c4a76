import { MldbError } from '../errors.js'
import { type NewPoint, PointWriter } from '../store/points.js'
import type { FileRecord, Json, StatusChange } from '../store/types.js'
import type { BatchPoint, Database } from './database.js'
import { checkExpName, checkKey, checkProjectName, checkSeriesName, checkSplit, checkStatus, checkStep, checkValue, toJsonValue } from './validate.js'

/** A file pointer to import as it was recorded (the file is not read). */
export type ImportedFile = Omit<FileRecord, 'id' | 'experiment'>

/** Everything about one experiment, ready to write in one transaction. */
export interface ExperimentBundle {
  name: string
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
  history: StatusChange[]
  params: Record<string, Json>
  tags: Record<string, string>
  files: ImportedFile[]
  points: BatchPoint[]
}

/** A bundle with defaults, for formats that carry only some of it. */
export function newBundle(name: string, project: string): ExperimentBundle {
  return {
    name,
    project,
    status: 'COMPLETE',
    createdAt: Number.NaN,
    startedAt: null,
    endedAt: null,
    updatedAt: Number.NaN,
    heartbeatAt: null,
    host: null,
    pid: null,
    notes: '',
    history: [],
    params: {},
    tags: {},
    files: [],
    points: [],
  }
}

/** Fills missing times from the points, so an experiment made of bare points still sorts sensibly. */
export function completeBundle(b: ExperimentBundle): ExperimentBundle {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const p of b.points) {
    const t = p.time ?? 0
    if (t < first) first = t
    if (t > last) last = t
  }
  const fallback = Number.isFinite(first) ? first : Date.now()
  if (!Number.isFinite(b.createdAt)) b.createdAt = b.startedAt ?? fallback
  if (!Number.isFinite(b.updatedAt)) b.updatedAt = Math.max(b.createdAt, b.endedAt ?? (Number.isFinite(last) ? last : b.createdAt))
  return b
}

/** Checks names and values before anything is written; throws ValidationError. */
export function checkBundle(b: ExperimentBundle): void {
  checkExpName(b.name)
  checkProjectName(b.project)
  checkStatus(b.status)
  for (const [k, v] of Object.entries(b.params)) {
    checkKey('param key', k)
    toJsonValue(k, v)
  }
  for (const k of Object.keys(b.tags)) checkKey('tag key', k)
  const seen = new Set<string>()
  for (const p of b.points) {
    const key = `${p.split ?? ''}/${p.name}`
    if (!seen.has(key)) {
      checkSeriesName(p.name)
      checkSplit(p.split)
      seen.add(key)
    }
    checkStep(p.step)
    checkValue(p.name, p.value)
  }
}

/** Names among `names` that the database already has (live or in the trash). */
export function existingNames(db: Database, names: Iterable<string>): string[] {
  const stmt = db.sqlite.prepare('SELECT 1 FROM experiments WHERE name = ?')
  return [...names].filter((n) => stmt.get(n) !== undefined)
}

/**
 * Writes one experiment with its history, params, tags, files and points in
 * one transaction. Points go through the same PointWriter as `db.logBatch`
 * (which cannot run inside an outer transaction), so series summaries and
 * blocks are kept as for any write. Fails if the name is taken.
 */
export function writeBundle(db: Database, b: ExperimentBundle): void {
  const s = db.sqlite
  s.transaction(() => {
    if (s.prepare('SELECT 1 FROM experiments WHERE name = ?').get(b.name)) {
      throw new MldbError(`experiment "${b.name}" already exists in ${db.path}; nothing of it was imported`)
    }
    s.prepare('INSERT OR IGNORE INTO projects (name, created_at) VALUES (?, ?)').run(b.project, b.createdAt)
    const { id: projectId } = s.prepare('SELECT id FROM projects WHERE name = ?').get(b.project) as { id: number }
    const { id } = s
      .prepare(
        `INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid, notes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(b.name, projectId, b.status, b.createdAt, b.startedAt, b.endedAt, b.updatedAt, b.heartbeatAt, b.host, b.pid, b.notes) as { id: number }
    if (b.history.length) {
      // the insert trigger wrote one entry at updated_at; the imported history replaces it
      s.prepare('DELETE FROM status_history WHERE experiment_id = ?').run(id)
      const h = s.prepare('INSERT INTO status_history (experiment_id, status, time) VALUES (?, ?, ?)')
      for (const x of b.history) h.run(id, x.status, x.time)
    }
    const p = s.prepare('INSERT INTO params (experiment_id, key, value) VALUES (?, ?, ?)')
    for (const [k, v] of Object.entries(b.params)) p.run(id, k, JSON.stringify(v))
    const t = s.prepare('INSERT INTO tags (experiment_id, key, value) VALUES (?, ?, ?)')
    for (const [k, v] of Object.entries(b.tags)) t.run(id, k, v)
    const f = s.prepare('INSERT INTO file_pointers (experiment_id, path, kind, step, size, mtime, sha256, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    for (const x of b.files) f.run(id, x.path, x.kind, x.step, x.size, x.mtime, x.sha256, x.meta === null ? null : JSON.stringify(x.meta), x.createdAt)
    const groups = new Map<string, { name: string; split: string; points: NewPoint[] }>()
    for (const x of b.points) {
      const split = x.split ?? ''
      const key = `${x.name}\u0000${split}`
      let g = groups.get(key)
      if (!g) {
        g = { name: x.name, split, points: [] }
        groups.set(key, g)
      }
      g.points.push({ step: x.step, time: Math.trunc(x.time ?? b.updatedAt), value: x.value })
    }
    const series = s.prepare('INSERT INTO series (experiment_id, name, split) VALUES (?, ?, ?) RETURNING id')
    const writer = new PointWriter(s)
    for (const g of groups.values()) writer.writeMany((series.get(id, g.name, g.split) as { id: number }).id, g.points)
  }).immediate()
}
