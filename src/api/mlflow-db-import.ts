/**
 * Reads MLflow's SQL store from its SQLite file (`mlflow.db`), any Alembic
 * revision of the 2.x and 3.x lines: columns and tables added over time
 * (run names, deletion times, creation times, is_nan, datasets and inputs)
 * are read when present.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { ValidationError } from '../errors.js'
import { parseSeriesKey } from '../query/parse.js'
import { completeBundle, newBundle } from './import-bundle.js'
import { readDbLoggedModels, readDbRegistry } from './mlflow-import-db-models.js'
import { artifactFiles, MLFLOW_STATUS, type MlflowSource, type MlflowSourceRun } from './mlflow-import-write.js'

type Sqlite = BetterSqlite3.Database

/** MLflow's SQL store writes ±Infinity as ±DBL_MAX (some databases hold no infinity); read them back as infinities. */
const DBL_MAX = 1.7976931348623157e308

/**
 * Whether a file is an MLflow SQLite store: by its content (the SQLite header
 * and MLflow's tables), never its extension.
 */
export function isMlflowDb(path: string): boolean {
  const head = Buffer.alloc(16)
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    if (readSync(fd, head, 0, 16, 0) < 16 || head.toString('latin1') !== 'SQLite format 3\u0000') return false
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  let db: Sqlite | undefined
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    const names = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))
    return names.has('runs') && names.has('experiments') && names.has('metrics') && !names.has('projects')
  } catch {
    return false
  } finally {
    db?.close()
  }
}

function columns(db: Sqlite, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((r) => r.name))
}

function hasTable(db: Sqlite, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined
}

/** `col` when the table has it, else `NULL AS col`. */
const pick = (cols: Set<string>, col: string, fallback = 'NULL') => (cols.has(col) ? `"${col}"` : `${fallback} AS "${col}"`)

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v === null || v === undefined ? null : Number(v))

/**
 * Reads a whole `mlflow.db`: experiments (with tags, lifecycle, times), runs
 * (deleted ones too), params as text, tags, every metric value, dataset
 * inputs, and artifacts found in local artifact folders as file pointers.
 *
 * @example writeMlflowSource(db, readMlflowDb('mlflow.db'))
 */
export function readMlflowDb(path: string): MlflowSource {
  let db: Sqlite
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new ValidationError(`${path} cannot be opened as an MLflow database (${(e as Error).message})`, 'file')
  }
  try {
    db.defaultSafeIntegers(false)
    const ec = columns(db, 'experiments')
    const expRows = db
      .prepare(
        `SELECT experiment_id, name, ${pick(ec, 'artifact_location')}, ${pick(ec, 'lifecycle_stage', "'active'")}, ${pick(ec, 'creation_time')}, ${pick(ec, 'last_update_time')} FROM experiments ORDER BY experiment_id`,
      )
      .all() as Record<string, unknown>[]
    const expTags = new Map<string, Record<string, string>>()
    if (hasTable(db, 'experiment_tags')) {
      for (const t of db.prepare('SELECT key, value, experiment_id FROM experiment_tags ORDER BY key').all() as {
        key: string
        value: string | null
        experiment_id: unknown
      }[]) {
        const id = String(t.experiment_id)
        const m = expTags.get(id) ?? {}
        m[t.key] = t.value ?? ''
        expTags.set(id, m)
      }
    }
    const experiments = expRows.map((e) => {
      const deleted = e.lifecycle_stage === 'deleted'
      const updated = num(e.last_update_time)
      return {
        id: String(e.experiment_id),
        name: String(e.name),
        artifactLocation: (e.artifact_location as string | null) ?? null,
        deletedAt: deleted ? (updated ?? Date.now()) : null,
        createdAt: num(e.creation_time),
        updatedAt: updated,
        tags: expTags.get(String(e.experiment_id)) ?? {},
      }
    })
    const deletedExp = new Map(experiments.map((e) => [e.id, e.deletedAt]))

    const rc = columns(db, 'runs')
    const runRows = db
      .prepare(
        `SELECT run_uuid, ${pick(rc, 'name')}, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, experiment_id, ${pick(rc, 'deleted_time')} FROM runs ORDER BY start_time, run_uuid`,
      )
      .all() as Record<string, unknown>[]
    const byRun = <T extends { run_uuid: string }>(rows: T[]) => {
      const m = new Map<string, T[]>()
      for (const r of rows) {
        const list = m.get(r.run_uuid)
        if (list) list.push(r)
        else m.set(r.run_uuid, [r])
      }
      return m
    }
    const params = byRun(
      db.prepare('SELECT key, value, run_uuid FROM params ORDER BY run_uuid, key').all() as { key: string; value: string; run_uuid: string }[],
    )
    const tags = byRun(
      db.prepare('SELECT key, value, run_uuid FROM tags ORDER BY run_uuid, key').all() as { key: string; value: string | null; run_uuid: string }[],
    )
    const mc = columns(db, 'metrics')
    const metrics = byRun(
      db
        .prepare(
          `SELECT key, value, timestamp, run_uuid, ${pick(mc, 'step', '0')}, ${pick(mc, 'is_nan', '0')} FROM metrics ORDER BY run_uuid, key, step, timestamp, rowid`,
        )
        .all() as { key: string; value: number; timestamp: number; run_uuid: string; step: number; is_nan: number }[],
    )
    const inputs = new Map<string, { kind: string; body: string }[]>()
    if (hasTable(db, 'inputs') && hasTable(db, 'datasets')) {
      const itags = hasTable(db, 'input_tags')
        ? byRun(
            db.prepare('SELECT input_uuid AS run_uuid, name, value FROM input_tags ORDER BY name').all() as { run_uuid: string; name: string; value: string }[],
          )
        : new Map<string, { run_uuid: string; name: string; value: string }[]>()
      const rows = db
        .prepare(
          `SELECT i.input_uuid, i.destination_id AS run_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile
             FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
            WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' ORDER BY i.rowid`,
        )
        .all() as Record<string, string | null>[]
      for (const r of rows) {
        const body = {
          dataset: {
            name: r.name,
            digest: r.digest,
            source_type: r.dataset_source_type,
            source: r.dataset_source,
            ...(r.dataset_schema ? { schema: r.dataset_schema } : {}),
            ...(r.dataset_profile ? { profile: r.dataset_profile } : {}),
          },
          tags: (itags.get(String(r.input_uuid)) ?? []).map((t) => ({ key: t.name, value: t.value })),
        }
        const list = inputs.get(String(r.run_uuid)) ?? []
        list.push({ kind: 'dataset', body: JSON.stringify(body) })
        inputs.set(String(r.run_uuid), list)
      }
    }

    // MLflow 3's logged models a run used and produced (log_model logs an output), as the REST API's LoggedModelInput/Output
    if (hasTable(db, 'inputs')) {
      const ic = columns(db, 'inputs')
      const models = db
        .prepare(
          `SELECT source_type, source_id AS run_uuid, destination_id AS model_id, ${pick(ic, 'step', '0')} FROM inputs
            WHERE (source_type = 'RUN_OUTPUT' AND destination_type = 'MODEL_OUTPUT') OR (source_type = 'RUN_INPUT' AND destination_type = 'MODEL_INPUT')
            ORDER BY rowid`,
        )
        .all() as { source_type: string; run_uuid: string; model_id: string; step: number | null }[]
      for (const m of models) {
        const output = m.source_type === 'RUN_OUTPUT'
        const body = output ? { model_id: m.model_id, step: num(m.step) ?? 0 } : { model_id: m.model_id }
        const list = inputs.get(String(m.run_uuid)) ?? []
        list.push({ kind: output ? 'model_output' : 'model_input', body: JSON.stringify(body) })
        inputs.set(String(m.run_uuid), list)
      }
    }

    const base = dirname(path)
    const runs: MlflowSourceRun[] = runRows.map((r) => {
      const runId = String(r.run_uuid)
      const runTags = Object.fromEntries((tags.get(runId) ?? []).map((t) => [t.key, t.value ?? '']))
      const runName = String(r.name || runTags['mlflow.runName'] || runId)
      const b = newBundle(runId, 'default')
      b.tags = runTags
      b.notes = runTags['mlflow.note.content'] ?? ''
      for (const p of params.get(runId) ?? []) b.params[p.key] = p.value
      for (const m of metrics.get(runId) ?? []) {
        const value = m.is_nan ? Number.NaN : m.value === DBL_MAX ? Number.POSITIVE_INFINITY : m.value === -DBL_MAX ? Number.NEGATIVE_INFINITY : m.value
        b.points.push({ ...parseSeriesKey(m.key), step: num(m.step) ?? 0, time: num(m.timestamp) ?? 0, value })
      }
      const status = MLFLOW_STATUS[String(r.status)] ?? 'COMPLETE'
      const start = num(r.start_time)
      const end = num(r.end_time)
      b.status = status
      b.startedAt = start
      b.endedAt = status === 'TRAINING' || status === 'PENDING' ? null : end
      b.createdAt = start ?? Number.NaN
      const lastTime = b.points.reduce((mx, x) => Math.max(mx, x.time ?? 0), start ?? 0)
      b.updatedAt = Math.max(end ?? 0, lastTime) || Number.NaN
      b.heartbeatAt = b.updatedAt
      if (start !== null) b.history.push({ status: status === 'PENDING' ? 'PENDING' : 'TRAINING', time: start })
      if (end !== null && b.endedAt !== null) b.history.push({ status, time: end })
      const artifactUri = (r.artifact_uri as string | null) ?? null
      b.files = artifactFiles(artifactUri, base)
      const expId = String(r.experiment_id)
      const deleted = r.lifecycle_stage === 'deleted' ? (num(r.deleted_time) ?? end ?? Date.now()) : (deletedExp.get(expId) ?? null)
      return {
        runId,
        experimentId: expId,
        runName,
        bundle: completeBundle(b),
        artifactUri,
        userId: (r.user_id as string | null) ?? null,
        deletedAt: deleted,
        inputs: inputs.get(runId) ?? [],
      }
    })
    return { experiments, runs, loggedModels: readDbLoggedModels(db), ...readDbRegistry(db) }
  } finally {
    db.close()
  }
}
