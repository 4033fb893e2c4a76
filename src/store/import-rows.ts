// The writes of `mldb import`: one whole experiment, as it was recorded
// elsewhere, in one transaction.
import type { Sqlite } from './connection.js'
import type { NewFile } from './file-rows.js'
import { type NewPoint, PointWriter } from './points.js'
import type { ExperimentFields, StatusChange } from './types.js'

/** One series of an imported experiment with its points. */
export interface ImportedSeries {
  name: string
  split: string
  points: NewPoint[]
}

/** Everything about one experiment, as rows: params as JSON text, file meta as JSON text. */
export interface ImportedExperiment extends ExperimentFields {
  name: string
  history: StatusChange[]
  params: [key: string, json: string][]
  tags: [key: string, value: string][]
  files: NewFile[]
  series: ImportedSeries[]
}

/** A lookup of whether a name is taken by an experiment, live or in the trash; prepared once. */
export function nameTakenLookup(db: Sqlite): (name: string) => boolean {
  const stmt = db.prepare('SELECT 1 FROM experiments WHERE name = ?')
  return (name) => stmt.get(name) !== undefined
}

/**
 * Writes one experiment with its history, params, tags, files and series in
 * one immediate transaction. Points go through the same PointWriter as any
 * write, so series summaries and blocks are kept. Returns false, writing
 * nothing, when the name is taken.
 */
export function insertImportedExperiment(s: Sqlite, b: ImportedExperiment): boolean {
  return s
    .transaction(() => {
      if (s.prepare('SELECT 1 FROM experiments WHERE name = ?').get(b.name)) return false
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
      for (const [k, v] of b.params) p.run(id, k, v)
      const t = s.prepare('INSERT INTO tags (experiment_id, key, value) VALUES (?, ?, ?)')
      for (const [k, v] of b.tags) t.run(id, k, v)
      const f = s.prepare(
        'INSERT INTO file_pointers (experiment_id, path, kind, step, size, mtime, sha256, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      for (const x of b.files) f.run(id, x.path, x.kind, x.step, x.size, x.mtime, x.sha256, x.meta, x.createdAt)
      const series = s.prepare('INSERT INTO series (experiment_id, name, split) VALUES (?, ?, ?) RETURNING id')
      const writer = new PointWriter(s)
      for (const g of b.series) writer.writeMany((series.get(id, g.name, g.split) as { id: number }).id, g.points)
      return true
    })
    .immediate()
}
