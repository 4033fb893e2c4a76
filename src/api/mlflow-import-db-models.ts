/**
 * The model tables of MLflow's SQL store (an `mlflow.db`, or PostgreSQL copied
 * into one): MLflow 3's logged models with their params, tags and metrics, and
 * the registry (registered models, versions, their tags, aliases). Tables and
 * columns are looked up first, so stores written before they existed read too.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { LOGGED_MODEL_STATUS, type MlflowSourceLoggedModel, type MlflowSourceModelVersion, type MlflowSourceRegisteredModel } from './mlflow-import-write.js'

type Sqlite = BetterSqlite3.Database
type Row = Record<string, unknown>

const hasTable = (db: Sqlite, t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined
const columns = (db: Sqlite, t: string) => new Set((db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((r) => r.name))
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
/** MLflow 3.x keeps one registry per workspace; an import takes the default one (the only one without workspaces enabled). */
const inDefault = (cols: Set<string>) => (cols.has('workspace') ? ` WHERE workspace = 'default'` : '')

/** Rows grouped by a key column. */
function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const m = new Map<string, Row[]>()
  for (const r of rows) {
    const k = String(r[key])
    const list = m.get(k)
    if (list) list.push(r)
    else m.set(k, [r])
  }
  return m
}

/** MLflow 3's logged models of a SQL store, deleted ones marked (none before MLflow 3). */
export function readDbLoggedModels(db: Sqlite): MlflowSourceLoggedModel[] {
  if (!hasTable(db, 'logged_models')) return []
  const kv = (table: string, k: string, v: string) =>
    hasTable(db, table)
      ? groupBy(db.prepare(`SELECT model_id, ${k} AS k, ${v} AS v FROM ${table} ORDER BY ${k}`).all() as Row[], 'model_id')
      : new Map<string, Row[]>()
  const params = kv('logged_model_params', 'param_key', 'param_value')
  const tags = kv('logged_model_tags', 'tag_key', 'tag_value')
  const metrics = hasTable(db, 'logged_model_metrics')
    ? groupBy(db.prepare('SELECT * FROM logged_model_metrics ORDER BY metric_name, metric_step, metric_timestamp_ms').all() as Row[], 'model_id')
    : new Map<string, Row[]>()
  const rows = db.prepare('SELECT * FROM logged_models ORDER BY creation_timestamp_ms, model_id').all() as Row[]
  return rows.map((r) => {
    const id = String(r.model_id)
    const pairs = (m: Map<string, Row[]>) => Object.fromEntries((m.get(id) ?? []).map((x) => [String(x.k), String(x.v ?? '')]))
    return {
      modelId: id,
      experimentId: String(r.experiment_id),
      name: String(r.name),
      artifactLocation: String(r.artifact_location),
      createdAt: num(r.creation_timestamp_ms) ?? 0,
      updatedAt: num(r.last_updated_timestamp_ms) ?? num(r.creation_timestamp_ms) ?? 0,
      status: LOGGED_MODEL_STATUS[String(r.status)] ?? 'LOGGED_MODEL_STATUS_UNSPECIFIED',
      statusMessage: str(r.status_message),
      modelType: str(r.model_type),
      sourceRunId: str(r.source_run_id),
      deleted: r.lifecycle_stage === 'deleted',
      params: pairs(params),
      tags: pairs(tags),
      metrics: (metrics.get(id) ?? []).map((m) => ({
        key: String(m.metric_name),
        value: Number(m.metric_value),
        timestamp: Number(m.metric_timestamp_ms),
        step: Number(m.metric_step),
        run_id: String(m.run_id),
        ...(m.dataset_name ? { dataset_name: String(m.dataset_name) } : {}),
        ...(m.dataset_digest ? { dataset_digest: String(m.dataset_digest) } : {}),
      })),
    }
  })
}

/** The registry of a SQL store: registered models (with tags and aliases) and their versions (with tags). */
export function readDbRegistry(db: Sqlite): { registeredModels: MlflowSourceRegisteredModel[]; modelVersions: MlflowSourceModelVersion[] } {
  if (!hasTable(db, 'registered_models')) return { registeredModels: [], modelVersions: [] }
  const all = (t: string, order: string) =>
    hasTable(db, t) ? (db.prepare(`SELECT * FROM "${t}"${inDefault(columns(db, t))} ORDER BY ${order}`).all() as Row[]) : []
  const modelTags = groupBy(all('registered_model_tags', 'key'), 'name')
  const aliases = groupBy(all('registered_model_aliases', 'alias'), 'name')
  const versionTags = groupBy(
    all('model_version_tags', 'key').map((t) => ({ ...t, nv: `${t.name}\u0000${t.version}` })),
    'nv',
  )
  const registeredModels = all('registered_models', 'name').map((m) => ({
    name: String(m.name),
    description: str(m.description) ?? '',
    createdAt: num(m.creation_time),
    updatedAt: num(m.last_updated_time),
    tags: Object.fromEntries((modelTags.get(String(m.name)) ?? []).map((t) => [String(t.key), String(t.value ?? '')])),
    aliases: Object.fromEntries((aliases.get(String(m.name)) ?? []).map((a) => [String(a.alias), Number(a.version)])),
  }))
  const modelVersions = all('model_versions', 'name, version')
    // MLflow keeps a deleted version as a row in stage Deleted_Internal; its client no longer shows it
    .filter((v) => v.current_stage !== 'Deleted_Internal')
    .map((v) => ({
      name: String(v.name),
      version: Number(v.version),
      createdAt: num(v.creation_time),
      description: str(v.description) ?? '',
      userId: str(v.user_id),
      source: str(v.source),
      runId: str(v.run_id) || null,
      storageLocation: str(v.storage_location),
      modelId: str(v.model_id),
      tags: Object.fromEntries((versionTags.get(`${v.name}\u0000${v.version}`) ?? []).map((t) => [String(t.key), String(t.value ?? '')])),
    }))
  return { registeredModels, modelVersions }
}
