import { sql } from '../named-sql.js'
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
  model_id: number
}

/** A version to insert; params and metrics as JSON text. */
export type NewVersion = Omit<VersionRow, 'id' | 'name' | 'version' | 'model_id'>

/** The model registry tables (migration 002), through the named SQL of sql/registry/ (shared with the Python client). */
export class RegistryRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** A model by name. */
  model(name: string): ModelRow | undefined {
    return this.stmts.get(sql('registry/models')).get({ name }) as ModelRow | undefined
  }

  /** Every model, by name. */
  models(): ModelRow[] {
    return this.stmts.get(sql('registry/models')).all({ name: null }) as ModelRow[]
  }

  /** Creates a model; returns its id. */
  insertModel(name: string, description: string, tags: string, now: number): number {
    return (this.stmts.get(sql('registry/model-insert')).get({ name, description, tags, now }) as { id: number }).id
  }

  /** Sets a model's description and tags (JSON text). */
  updateModel(id: number, description: string, tags: string, now: number): void {
    this.stmts.get(sql('registry/model-update')).run({ description, tags, now, id })
  }

  /** Takes the next version number of a model (never reused); inside a write transaction. */
  nextVersion(modelId: number, now: number): number {
    return (this.stmts.get(sql('registry/next-version')).get({ now, id: modelId }) as { last_version: number }).last_version
  }

  /** Inserts a version. */
  insertVersion(modelId: number, version: number, v: NewVersion): void {
    this.stmts.get(sql('registry/version-insert')).run({ ...v, model_id: modelId, version })
  }

  /** One version of a model. */
  version(modelId: number, version: number): VersionRow | undefined {
    return this.stmts.get(sql('registry/versions')).get({ model_id: modelId, version, experiment_id: null }) as VersionRow | undefined
  }

  /** Every version of a model (or of every model when modelId is null), by name and version. */
  versions(modelId: number | null): VersionRow[] {
    return this.stmts.get(sql('registry/versions')).all({ model_id: modelId, version: null, experiment_id: null }) as VersionRow[]
  }

  /** The versions registered from one experiment, by model name and version. */
  versionsOfExperiment(experimentId: number): VersionRow[] {
    return this.stmts.get(sql('registry/versions')).all({ model_id: null, version: null, experiment_id: experimentId }) as VersionRow[]
  }

  /** The aliases of a model as [alias, version], by alias. */
  aliases(modelId: number): [string, number][] {
    return this.stmts.get(sql('registry/aliases')).raw().all({ model_id: modelId }) as [string, number][]
  }

  /** The version an alias points at. */
  alias(modelId: number, alias: string): number | undefined {
    return (this.stmts.get(sql('registry/alias')).get({ model_id: modelId, alias }) as { version: number } | undefined)?.version
  }

  /** Points an alias at a version and records the move; a no-op when it already points there. */
  setAlias(modelId: number, alias: string, version: number, now: number, who: string): void {
    const from = this.alias(modelId, alias)
    if (from === version) return
    this.stmts.get(sql('registry/alias-set')).run({ model_id: modelId, alias, version, now })
    this.addHistory(modelId, alias, from ?? null, version, now, who)
  }

  /** Removes an alias and records it; false when there was none. */
  deleteAlias(modelId: number, alias: string, now: number, who: string): boolean {
    const from = this.alias(modelId, alias)
    if (from === undefined) return false
    this.stmts.get(sql('registry/alias-delete')).run({ model_id: modelId, alias })
    this.addHistory(modelId, alias, from, null, now, who)
    return true
  }

  private addHistory(modelId: number, alias: string, from: number | null, to: number | null, now: number, who: string): void {
    this.stmts.get(sql('registry/alias-history-add')).run({ model_id: modelId, alias, from_version: from, to_version: to, now, who })
    this.stmts.get(sql('registry/model-touch')).run({ now, id: modelId })
  }

  /** Every alias move of a model, oldest first. */
  history(modelId: number): { alias: string; from_version: number | null; to_version: number | null; time: number; who: string }[] {
    return this.stmts.get(sql('registry/history')).all({ model_id: modelId }) as {
      alias: string
      from_version: number | null
      to_version: number | null
      time: number
      who: string
    }[]
  }
}
