import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'

/** A project as MLflow sees it (an MLflow experiment). */
export interface MlflowProjectRow {
  id: number
  name: string
  created_at: number
  artifact_location: string | null
  deleted_at: number | null
  updated_at: number | null
}

/** MLflow's own fields of one experiment (an MLflow run). */
export interface MlflowRunRow {
  experiment_id: number
  run_id: string
  artifact_uri: string | null
  user_id: string | null
}

/** One logged input or output of a run, as MLflow sent it. */
export interface MlflowInputRow {
  kind: string
  body: string
}

/** Experiments without a mlflow_runs row answer to this run id: their row id, in 32 hex digits. */
const SYNTHETIC = /^0{16}([0-9a-f]{16})$/

/** The run id of an experiment that has no MLflow run id of its own (created by an mldb client). */
export function syntheticRunId(experimentId: number): string {
  return experimentId.toString(16).padStart(32, '0')
}

const PROJECT_SELECT = `SELECT p.id, p.name, p.created_at, m.artifact_location, m.deleted_at, m.updated_at
  FROM projects p LEFT JOIN mlflow_experiments m ON m.project_id = p.id`

/**
 * The SQL of migration 005's tables: MLflow run ids, experiment tags and
 * lifecycle, run inputs. The MLflow REST API and the MLflow imports use it.
 */
export class MlflowRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** Every project with its MLflow fields, in id order. */
  projects(): MlflowProjectRow[] {
    return this.stmts.get(`${PROJECT_SELECT} ORDER BY p.id`).all() as MlflowProjectRow[]
  }

  project(id: number): MlflowProjectRow | undefined {
    return this.stmts.get(`${PROJECT_SELECT} WHERE p.id = ?`).get(id) as MlflowProjectRow | undefined
  }

  projectByName(name: string): MlflowProjectRow | undefined {
    return this.stmts.get(`${PROJECT_SELECT} WHERE p.name = ?`).get(name) as MlflowProjectRow | undefined
  }

  /** Creates the project (fails on a taken name: the caller checks first). */
  insertProject(name: string, createdAt: number, artifactLocation: string | null): number {
    const id = Number(this.stmts.get('INSERT INTO projects (name, created_at) VALUES (?, ?)').run(name, createdAt).lastInsertRowid)
    this.setProjectFields(id, { artifactLocation, updatedAt: createdAt })
    return id
  }

  /** Sets some of a project's MLflow fields (undefined: unchanged). */
  setProjectFields(id: number, f: { artifactLocation?: string | null; deletedAt?: number | null; updatedAt?: number | null }): void {
    this.stmts.get('INSERT OR IGNORE INTO mlflow_experiments (project_id) VALUES (?)').run(id)
    if (f.artifactLocation !== undefined) this.stmts.get('UPDATE mlflow_experiments SET artifact_location = ? WHERE project_id = ?').run(f.artifactLocation, id)
    if (f.deletedAt !== undefined) this.stmts.get('UPDATE mlflow_experiments SET deleted_at = ? WHERE project_id = ?').run(f.deletedAt, id)
    if (f.updatedAt !== undefined) this.stmts.get('UPDATE mlflow_experiments SET updated_at = ? WHERE project_id = ?').run(f.updatedAt, id)
  }

  renameProject(id: number, name: string): void {
    this.stmts.get('UPDATE projects SET name = ? WHERE id = ?').run(name, id)
  }

  projectTags(id: number): Record<string, string> {
    const rows = this.stmts.get('SELECT key, value FROM mlflow_experiment_tags WHERE project_id = ? ORDER BY key').all(id) as { key: string; value: string }[]
    return Object.fromEntries(rows.map((r) => [r.key, r.value]))
  }

  setProjectTag(id: number, key: string, value: string): void {
    this.stmts
      .get('INSERT INTO mlflow_experiment_tags (project_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value')
      .run(id, key, value)
  }

  deleteProjectTag(id: number, key: string): number {
    return this.stmts.get('DELETE FROM mlflow_experiment_tags WHERE project_id = ? AND key = ?').run(id, key).changes
  }

  /** The experiment (live or trashed) that answers to an MLflow run id. */
  experimentOfRun(runId: string): { id: number; name: string; deleted_at: number | null; project_id: number } | undefined {
    const text = 'SELECT id, name, deleted_at, project_id FROM experiments WHERE id = ?'
    const m = SYNTHETIC.exec(runId)
    const id = m
      ? Number.parseInt(m[1] as string, 16)
      : (this.stmts.get('SELECT experiment_id FROM mlflow_runs WHERE run_id = ?').get(runId) as { experiment_id: number } | undefined)?.experiment_id
    if (id === undefined || !Number.isSafeInteger(id)) return undefined
    const row = this.stmts.get(text).get(id) as { id: number; name: string; deleted_at: number | null; project_id: number } | undefined
    // a synthetic id of an experiment that has a real MLflow id is not its id
    if (row && m && this.run(row.id)) return undefined
    return row
  }

  run(experimentId: number): MlflowRunRow | undefined {
    return this.stmts.get('SELECT experiment_id, run_id, artifact_uri, user_id FROM mlflow_runs WHERE experiment_id = ?').get(experimentId) as
      | MlflowRunRow
      | undefined
  }

  /** MLflow fields of many experiments at once, by experiment id. */
  runs(experimentIds: readonly number[]): Map<number, MlflowRunRow> {
    const out = new Map<number, MlflowRunRow>()
    for (let i = 0; i < experimentIds.length; i += 500) {
      const chunk = experimentIds.slice(i, i + 500)
      const rows = this.stmts.db
        .prepare(`SELECT experiment_id, run_id, artifact_uri, user_id FROM mlflow_runs WHERE experiment_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as MlflowRunRow[]
      for (const r of rows) out.set(r.experiment_id, r)
    }
    return out
  }

  /** Whether some experiment already has this MLflow run id. */
  hasRunId(runId: string): boolean {
    return this.stmts.get('SELECT 1 FROM mlflow_runs WHERE run_id = ?').get(runId) !== undefined
  }

  setRun(experimentId: number, runId: string, artifactUri: string | null, userId: string | null): void {
    this.stmts
      .get(
        'INSERT INTO mlflow_runs (experiment_id, run_id, artifact_uri, user_id) VALUES (?, ?, ?, ?) ON CONFLICT (experiment_id) DO UPDATE SET artifact_uri = excluded.artifact_uri, user_id = excluded.user_id',
      )
      .run(experimentId, runId, artifactUri, userId)
  }

  /** The project of a live or trashed experiment. */
  projectOf(experimentId: number): number | undefined {
    return (this.stmts.get('SELECT project_id FROM experiments WHERE id = ?').get(experimentId) as { project_id: number } | undefined)?.project_id
  }

  /** Appends an input unless the same (kind, body) is there already. */
  addInput(experimentId: number, kind: string, body: string): void {
    if (this.stmts.get('SELECT 1 FROM mlflow_run_inputs WHERE experiment_id = ? AND kind = ? AND body = ?').get(experimentId, kind, body)) return
    this.stmts
      .get(
        'INSERT INTO mlflow_run_inputs (experiment_id, seq, kind, body) SELECT ?, coalesce(max(seq) + 1, 0), ?, ? FROM mlflow_run_inputs WHERE experiment_id = ?',
      )
      .run(experimentId, kind, body, experimentId)
  }

  inputs(experimentId: number): MlflowInputRow[] {
    return this.stmts.get('SELECT kind, body FROM mlflow_run_inputs WHERE experiment_id = ? ORDER BY seq').all(experimentId) as MlflowInputRow[]
  }

  /** Moves an experiment to another project. */
  moveExperiment(experimentId: number, projectId: number): void {
    this.stmts.get('UPDATE experiments SET project_id = ? WHERE id = ?').run(projectId, experimentId)
  }

  /** Ids of the live (or trashed) experiments of some projects. */
  experimentIds(projectIds: readonly number[], trashed: 'live' | 'deleted' | 'all'): number[] {
    if (projectIds.length === 0) return []
    const where = trashed === 'live' ? 'AND deleted_at IS NULL' : trashed === 'deleted' ? 'AND deleted_at IS NOT NULL' : ''
    const rows = this.stmts.db
      .prepare(`SELECT id FROM experiments WHERE project_id IN (${projectIds.map(() => '?').join(',')}) ${where} ORDER BY id`)
      .all(...projectIds) as { id: number }[]
    return rows.map((r) => r.id)
  }

  /** Sets an experiment's start or end time as MLflow gave it (undefined: unchanged). */
  setRunTimes(experimentId: number, t: { startedAt?: number | null; endedAt?: number | null }): void {
    if (t.startedAt !== undefined) {
      this.stmts
        .get('UPDATE experiments SET started_at = ?, created_at = min(created_at, coalesce(?, created_at)) WHERE id = ?')
        .run(t.startedAt, t.startedAt, experimentId)
    }
    if (t.endedAt !== undefined) this.stmts.get('UPDATE experiments SET ended_at = ? WHERE id = ?').run(t.endedAt, experimentId)
  }

  /** Deletes one tag of an experiment; how many rows went. */
  deleteTag(experimentId: number, key: string): number {
    return this.stmts.get('DELETE FROM tags WHERE experiment_id = ? AND key = ?').run(experimentId, key).changes
  }

  /** The id of an experiment (live or trashed) by name. */
  experimentId(name: string): number | undefined {
    return (this.stmts.get('SELECT id FROM experiments WHERE name = ?').get(name) as { id: number } | undefined)?.id
  }

  /** Puts an imported experiment in the trash as of MLflow's deletion time. */
  setDeletedAt(experimentId: number, deletedAt: number | null): void {
    this.stmts.get('UPDATE experiments SET deleted_at = ? WHERE id = ?').run(deletedAt, experimentId)
  }

  /** One series' points of an experiment, live or trashed, in step order (NULL value: NaN). */
  points(experimentId: number, name: string, split: string): { step: number; time: number; value: number }[] {
    const rows = this.stmts.get(sql('mlflow/metric-history')).all({ experiment: experimentId, name, split }) as {
      step: number
      time: number
      value: number | null
    }[]
    return rows.map((r) => ({ step: r.step, time: r.time, value: r.value ?? Number.NaN }))
  }

  /** Whether a series of an experiment holds this exact point (NaN: a NULL value), as MLflow's metric key (key, timestamp, step, value). */
  hasPoint(experimentId: number, name: string, split: string, p: { step: number; time: number; value: number }): boolean {
    const value = Number.isNaN(p.value) ? null : p.value
    return (
      this.stmts
        .get(
          `SELECT 1 FROM points p JOIN series s ON s.id = p.series_id
            WHERE s.experiment_id = ? AND s.name = ? AND s.split = ? AND p.step = ? AND p.time = ? AND p.value IS ? LIMIT 1`,
        )
        .get(experimentId, name, split, p.step, p.time, value) !== undefined
    )
  }

  /** MLflow's own fields of a registered version (source, tags), kept with its run as a 'model_version' input. */
  versionExtras(experimentId: number, model: string, version: number): string | undefined {
    const row = this.stmts
      .get(
        `SELECT body FROM mlflow_run_inputs WHERE experiment_id = ? AND kind = 'model_version'
          AND json_extract(body, '$.name') = ? AND json_extract(body, '$.version') = ?`,
      )
      .get(experimentId, model, version) as { body: string } | undefined
    return row?.body
  }

  /** Sets a version's MLflow fields (JSON object text), replacing what was kept. */
  setVersionExtras(experimentId: number, model: string, version: number, body: string): void {
    this.stmts
      .get(
        `DELETE FROM mlflow_run_inputs WHERE experiment_id = ? AND kind = 'model_version'
          AND json_extract(body, '$.name') = ? AND json_extract(body, '$.version') = ?`,
      )
      .run(experimentId, model, version)
    const full = JSON.stringify({ ...(JSON.parse(body) as object), name: model, version })
    this.addInput(experimentId, 'model_version', full)
  }

  /** A version's description (MLflow's update-model-version; mldb's registry sets it only at registration). */
  setVersionDescription(model: string, version: number, description: string): void {
    this.stmts
      .get('UPDATE model_versions SET description = ? WHERE version = ? AND model_id = (SELECT id FROM registered_models WHERE name = ?)')
      .run(description, version, model)
  }

  /**
   * Deletes a registered version, as MLflow's delete-model-version: the aliases
   * pointing at it go too, each recorded in the alias history; the number is not reused.
   */
  deleteModelVersion(model: string, version: number, now: number): void {
    const m = this.stmts.get('SELECT id FROM registered_models WHERE name = ?').get(model) as { id: number } | undefined
    if (!m) return
    const aliases = this.stmts.get('SELECT alias FROM model_aliases WHERE model_id = ? AND version = ?').all(m.id, version) as { alias: string }[]
    for (const a of aliases) {
      this.stmts
        .get("INSERT INTO model_alias_history (model_id, alias, from_version, to_version, time, who) VALUES (?, ?, ?, NULL, ?, 'mlflow client')")
        .run(m.id, a.alias, version, now)
    }
    this.stmts.get('DELETE FROM model_aliases WHERE model_id = ? AND version = ?').run(m.id, version)
    this.stmts.get('DELETE FROM model_versions WHERE model_id = ? AND version = ?').run(m.id, version)
    this.stmts
      .get(`DELETE FROM mlflow_run_inputs WHERE kind = 'model_version' AND json_extract(body, '$.name') = ? AND json_extract(body, '$.version') = ?`)
      .run(model, version)
    this.stmts.get('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(now, m.id)
  }

  /** Deletes a registered model with its versions, aliases and history (MLflow's delete-registered-model). */
  deleteRegisteredModel(model: string): void {
    this.stmts.get(`DELETE FROM mlflow_run_inputs WHERE kind = 'model_version' AND json_extract(body, '$.name') = ?`).run(model)
    this.stmts.get('DELETE FROM registered_models WHERE name = ?').run(model)
  }

  /** Stores (or replaces) a logged model's JSON. */
  putLoggedModel(modelId: string, projectId: number, experimentId: number | null, createdAt: number, body: string): void {
    this.stmts
      .get(
        'INSERT INTO mlflow_logged_models (model_id, project_id, experiment_id, created_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (model_id) DO UPDATE SET body = excluded.body',
      )
      .run(modelId, projectId, experimentId, createdAt, body)
  }

  loggedModel(modelId: string): { project_id: number; experiment_id: number | null; body: string } | undefined {
    return this.stmts.get('SELECT project_id, experiment_id, body FROM mlflow_logged_models WHERE model_id = ?').get(modelId) as
      | { project_id: number; experiment_id: number | null; body: string }
      | undefined
  }

  /** The logged models of some projects, newest first. */
  loggedModels(projectIds: readonly number[]): string[] {
    if (projectIds.length === 0) return []
    const rows = this.stmts.db
      .prepare(`SELECT body FROM mlflow_logged_models WHERE project_id IN (${projectIds.map(() => '?').join(',')}) ORDER BY created_at DESC, model_id`)
      .all(...projectIds) as { body: string }[]
    return rows.map((r) => r.body)
  }

  deleteLoggedModel(modelId: string): number {
    return this.stmts.get('DELETE FROM mlflow_logged_models WHERE model_id = ?').run(modelId).changes
  }
}
