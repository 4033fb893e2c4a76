import type { FileRow } from '../store/file-rows.js'
import { fromSql } from '../store/points.js'
import type { Json } from '../store/types.js'
import type { Database } from './database.js'
import type { ExportRecord } from './records.js'

/** What to export: the same selection as `listExperiments`. */
export interface ExportOptions {
  where?: string | undefined
  project?: string | undefined
}

/**
 * Every record of the matching experiments, experiment by experiment:
 * its own fields, status history, params, tags, files, then every point
 * (series by series, in step order; equal steps in the order logged).
 * Calls `onExperiment` after each experiment, for a progress bar.
 *
 * @example for (const r of exportRecords(db, { project: 'iris' })) write(toJson(r))
 */
export function* exportRecords(db: Database, options: ExportOptions = {}, onExperiment?: (done: number) => void): Generator<ExportRecord> {
  const exps = db.listExperiments({ where: options.where, project: options.project, orderBy: 'created asc' })
  const q = {
    history: db.sqlite.prepare('SELECT status, time FROM status_history WHERE experiment_id = ? ORDER BY time, id'),
    params: db.sqlite.prepare('SELECT key, value FROM params WHERE experiment_id = ? ORDER BY key'),
    tags: db.sqlite.prepare('SELECT key, value FROM tags WHERE experiment_id = ? ORDER BY key'),
    files: db.sqlite.prepare('SELECT path, kind, step, size, mtime, sha256, meta, created_at FROM file_pointers WHERE experiment_id = ? ORDER BY id'),
    series: db.sqlite.prepare('SELECT id, name, split FROM series WHERE experiment_id = ? ORDER BY split, name'),
    points: db.sqlite.prepare('SELECT step, time, value FROM points WHERE series_id = ? ORDER BY step, seq').raw(),
  }
  let done = 0
  for (const e of exps) {
    const base = { experiment: e.name, project: e.project }
    yield {
      record: 'experiment',
      ...base,
      status: e.storedStatus,
      createdAt: e.createdAt,
      startedAt: e.startedAt,
      endedAt: e.endedAt,
      updatedAt: e.updatedAt,
      heartbeatAt: e.heartbeatAt,
      host: e.host,
      pid: e.pid,
      notes: e.notes,
    }
    for (const h of q.history.all(e.id) as { status: string; time: number }[]) yield { record: 'status', ...base, status: h.status, time: h.time }
    for (const p of q.params.all(e.id) as { key: string; value: string }[]) yield { record: 'param', ...base, key: p.key, value: JSON.parse(p.value) as Json }
    for (const t of q.tags.all(e.id) as { key: string; value: string }[]) yield { record: 'tag', ...base, key: t.key, value: t.value }
    for (const f of q.files.all(e.id) as Omit<FileRow, 'id' | 'experiment'>[]) {
      yield {
        record: 'file',
        ...base,
        path: f.path,
        kind: f.kind,
        step: f.step,
        size: f.size,
        mtime: f.mtime,
        sha256: f.sha256,
        meta: f.meta === null ? null : (JSON.parse(f.meta) as Record<string, Json>),
        createdAt: f.created_at,
      }
    }
    for (const s of q.series.all(e.id) as { id: number; name: string; split: string }[]) {
      for (const [step, time, value] of q.points.iterate(s.id) as IterableIterator<[number, number, number | null]>) {
        yield { record: 'point', ...base, series: s.name, split: s.split, step, time, value: fromSql(value) }
      }
    }
    onExperiment?.(++done)
  }
}
