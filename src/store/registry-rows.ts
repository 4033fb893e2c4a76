import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'

/** A registered_models row with its version count and latest version. */
export interface ModelRow {
  id: number
  name: string
  description: string
  tags: string
  last_version: number
  created_at: number
  updated_at: number
  version_count: number
  latest: number | null
}

/** A model_versions row with its model's name and whether its experiment still exists. */
export interface VersionRow {
  id: number
  name: string
  version: number
  experiment_id: number | null
  file_id: number | null
  exp_name: string
  path: string
  sha256: string
  size: number
  params: string
  metrics: string
  description: string
  registered_at: number
  registered_by: string
}

/** A version to insert; params and metrics as JSON text. */
export type NewVersion = Omit<VersionRow, 'id' | 'name' | 'version'>

const MODEL_COLUMNS = `m.id, m.name, m.description, m.tags, m.last_version, m.created_at, m.updated_at,
  (SELECT count(*) FROM model_versions v WHERE v.model_id = m.id) AS version_count,
  (SELECT max(version) FROM model_versions v WHERE v.model_id = m.id) AS latest`

const VERSION_COLUMNS = `v.id, m.name, v.version, v.experiment_id, v.file_id, v.exp_name, v.path, v.sha256, v.size,
  v.params, v.metrics, v.description, v.registered_at, v.registered_by`

/** The SQL of the model registry tables (migration 002). */
export class RegistryRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** A model by name. */
  model(name: string): ModelRow | undefined {
    return this.stmts.get(`SELECT ${MODEL_COLUMNS} FROM registered_models m WHERE m.name = ?`).get(name) as ModelRow | undefined
  }

  /** Every model, by name. */
  models(): ModelRow[] {
    return this.stmts.get(`SELECT ${MODEL_COLUMNS} FROM registered_models m ORDER BY m.name`).all() as ModelRow[]
  }

  /** Creates a model; returns its id. */
  insertModel(name: string, description: string, tags: string, now: number): number {
    const r = this.stmts
      .get('INSERT INTO registered_models (name, description, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
      .get(name, description, tags, now, now) as { id: number }
    return r.id
  }

  /** Sets a model's description and tags (JSON text). */
  updateModel(id: number, description: string, tags: string, now: number): void {
    this.stmts.get('UPDATE registered_models SET description = ?, tags = ?, updated_at = ? WHERE id = ?').run(description, tags, now, id)
  }

  /** Takes the next version number of a model (never reused); inside a write transaction. */
  nextVersion(modelId: number, now: number): number {
    const r = this.stmts
      .get('UPDATE registered_models SET last_version = last_version + 1, updated_at = ? WHERE id = ? RETURNING last_version')
      .get(now, modelId) as { last_version: number }
    return r.last_version
  }

  /** Inserts a version. */
  insertVersion(modelId: number, version: number, v: NewVersion): void {
    this.stmts
      .get(
        `INSERT INTO model_versions (model_id, version, experiment_id, file_id, exp_name, path, sha256, size, params, metrics, description, registered_at, registered_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        modelId,
        version,
        v.experiment_id,
        v.file_id,
        v.exp_name,
        v.path,
        v.sha256,
        v.size,
        v.params,
        v.metrics,
        v.description,
        v.registered_at,
        v.registered_by,
      )
  }

  /** One version of a model. */
  version(modelId: number, version: number): VersionRow | undefined {
    return this.stmts
      .get(`SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE v.model_id = ? AND v.version = ?`)
      .get(modelId, version) as VersionRow | undefined
  }

  /** Every version of a model (or of every model when modelId is null), by name and version. */
  versions(modelId: number | null): VersionRow[] {
    return this.stmts
      .get(
        `SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE ? IS NULL OR v.model_id = ? ORDER BY m.name, v.version`,
      )
      .all(modelId, modelId) as VersionRow[]
  }

  /** The versions registered from one experiment, by model name and version. */
  versionsOfExperiment(experimentId: number): VersionRow[] {
    return this.stmts
      .get(`SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE v.experiment_id = ? ORDER BY m.name, v.version`)
      .all(experimentId) as VersionRow[]
  }

  /** The aliases of a model as [alias, version], by alias. */
  aliases(modelId: number): [string, number][] {
    return this.stmts.get('SELECT alias, version FROM model_aliases WHERE model_id = ? ORDER BY alias').raw().all(modelId) as [string, number][]
  }

  /** The version an alias points at. */
  alias(modelId: number, alias: string): number | undefined {
    return (this.stmts.get('SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?').get(modelId, alias) as { version: number } | undefined)
      ?.version
  }

  /** Points an alias at a version and records the move; a no-op when it already points there. */
  setAlias(modelId: number, alias: string, version: number, now: number, who: string): void {
    const from = this.alias(modelId, alias)
    if (from === version) return
    this.stmts
      .get(
        'INSERT INTO model_aliases (model_id, alias, version, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
      )
      .run(modelId, alias, version, now)
    this.addHistory(modelId, alias, from ?? null, version, now, who)
  }

  /** Removes an alias and records it; false when there was none. */
  deleteAlias(modelId: number, alias: string, now: number, who: string): boolean {
    const from = this.alias(modelId, alias)
    if (from === undefined) return false
    this.stmts.get('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?').run(modelId, alias)
    this.addHistory(modelId, alias, from, null, now, who)
    return true
  }

  private addHistory(modelId: number, alias: string, from: number | null, to: number | null, now: number, who: string): void {
    this.stmts
      .get('INSERT INTO model_alias_history (model_id, alias, from_version, to_version, time, who) VALUES (?, ?, ?, ?, ?, ?)')
      .run(modelId, alias, from, to, now, who)
    this.stmts.get('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(now, modelId)
  }

  /** Every alias move of a model, oldest first. */
  history(modelId: number): { alias: string; from_version: number | null; to_version: number | null; time: number; who: string }[] {
    return this.stmts.get('SELECT alias, from_version, to_version, time, who FROM model_alias_history WHERE model_id = ? ORDER BY time, id').all(modelId) as {
      alias: string
      from_version: number | null
      to_version: number | null
      time: number
      who: string
    }[]
  }
}
