import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'

/**
 * What an MLflow import writes into the registry tables (migration 002) beyond
 * what a registration writes: MLflow's own times and users, and MLflow's
 * version numbers (a skipped version leaves its number unused, as in MLflow).
 */
export class MlflowImportRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** The highest version number a model ever gave (numbers are never reused). */
  lastVersion(modelId: number): number {
    return (this.stmts.get('SELECT last_version FROM registered_models WHERE id = ?').get(modelId) as { last_version: number } | undefined)?.last_version ?? 0
  }

  /** Makes the next registration of a model take this number (never lowering what was given). */
  reserveVersion(modelId: number, version: number): void {
    this.stmts.get('UPDATE registered_models SET last_version = max(last_version, ?) WHERE id = ?').run(version - 1, modelId)
  }

  /** A model's creation and last update times as MLflow kept them. */
  setModelTimes(modelId: number, createdAt: number, updatedAt: number): void {
    this.stmts.get('UPDATE registered_models SET created_at = ?, updated_at = ? WHERE id = ?').run(createdAt, updatedAt, modelId)
  }

  /** A version's registration time and user as MLflow kept them. */
  setVersionOrigin(modelId: number, version: number, registeredAt: number, registeredBy: string): void {
    this.stmts
      .get('UPDATE model_versions SET registered_at = ?, registered_by = ? WHERE model_id = ? AND version = ?')
      .run(registeredAt, registeredBy, modelId, version)
  }
}
