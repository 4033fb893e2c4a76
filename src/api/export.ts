import { exportRows } from '../store/export-rows.js'
import { fromSql } from '../store/points.js'
import type { ExperimentSummary, Json } from '../store/types.js'
import type { Database } from './database.js'
import type { ExportRecord } from './records.js'
import { registryRecords } from './registry-records.js'

/** What to export: the same selection as `listExperiments`. */
export interface ExportOptions {
  where?: string | undefined
  project?: string | undefined
}

/** The first record of an experiment in an export (the stored status, not the derived one). */
export function experimentRecord(e: ExperimentSummary): ExportRecord {
  return {
    record: 'experiment',
    experiment: e.name,
    project: e.project,
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
}

/**
 * Every record of the matching experiments, experiment by experiment:
 * its own fields, status history, params, tags, files, then every point
 * (series by series, in step order; equal steps in the order logged).
 * Then the model registry (models, versions, alias moves, aliases), after the
 * experiments and files its versions point at: all of it, or with a filter the
 * versions of the exported experiments. Calls `onExperiment` after each experiment, for a progress bar.
 *
 * @example for (const r of exportRecords(db, { project: 'iris' })) write(toJson(r))
 */
/**
 * An export's order: creation time, then row id. The listing's own tie rule puts the newer row
 * first (docs/schema.md), which would swap two experiments created in the same millisecond.
 */
export const creationOrder = (a: { createdAt: number; id: number }, b: { createdAt: number; id: number }) => a.createdAt - b.createdAt || a.id - b.id

export function* exportRecords(db: Database, options: ExportOptions = {}, onExperiment?: (done: number) => void): Generator<ExportRecord> {
  const exps = db.listExperiments({ where: options.where, project: options.project, orderBy: 'created asc' }).sort(creationOrder)
  const q = exportRows(db.sqlite)
  let done = 0
  for (const e of exps) {
    const base = { experiment: e.name, project: e.project }
    yield experimentRecord(e)
    for (const h of q.history(e.id)) yield { record: 'status', ...base, status: h.status, time: h.time }
    for (const p of q.params(e.id)) yield { record: 'param', ...base, key: p.key, value: JSON.parse(p.value) as Json }
    for (const t of q.tags(e.id)) yield { record: 'tag', ...base, key: t.key, value: t.value }
    for (const f of q.files(e.id)) {
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
    for (const s of q.series(e.id)) {
      for (const [step, time, value] of q.points(s.id)) {
        yield { record: 'point', ...base, series: s.name, split: s.split, step, time, value: fromSql(value) }
      }
    }
    onExperiment?.(++done)
  }
  const filtered = Boolean(options.where?.trim()) || options.project !== undefined
  yield* registryRecords(db, filtered ? new Set(exps.map((e) => e.name)) : undefined)
}
