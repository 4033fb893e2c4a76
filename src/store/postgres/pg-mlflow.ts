/**
 * The SQL of MLflow's REST API on PostgreSQL (migrations-pg/003): what
 * MlflowRows (src/store/mlflow-rows.ts) and the Database calls behind the
 * SQLite adapter do, as async functions on a pool or a transaction's client.
 * Points go through writePgBatch, the sync receiver's own writer, so series
 * summaries and blocks stay right.
 */
import type pg from 'pg'
import { sql } from '../../named-sql.js'
import type { MlflowInputRow, MlflowProjectRow, MlflowRunRow } from '../mlflow-rows.js'
import { groupPoints } from '../remote-points.js'
import { ACTIVE, FINAL } from '../sqlite/sqlite-store.js'
import type { RemoteFile, RemotePoint } from '../store.js'
import { EXPERIMENT_LOCK, withPgRetry } from './pg-locks.js'
import { pgNamed } from './pg-named.js'
import { pgNumbers, writePgBatch } from './pg-points.js'
import { mapError } from './pg-store.js'
import { pgTxOnce } from './pg-tx.js'

/** A pool (reads) or one transaction's client (writes). */
export type Q = pg.Pool | pg.PoolClient

/** Experiments without a mlflow_runs row answer to this run id: their row id, in 32 hex digits (as on SQLite). */
const SYNTHETIC = /^0{16}([0-9a-f]{16})$/

const PROJECT_SELECT = `SELECT p.id, p.name, p.created_at, m.artifact_location, m.deleted_at, m.updated_at
  FROM projects p LEFT JOIN mlflow_experiments m ON m.project_id = p.id`

/** An experiment as the MLflow routes address it. */
export interface PgRunRef {
  id: number
  name: string
  deleted_at: number | null
  project_id: number
}

async function rows<T>(q: Q, text: string, values: unknown[] = []): Promise<T[]> {
  return (await q.query(text, values)).rows as T[]
}

/**
 * Runs fn in one transaction on the pool, again after a deadlock (withPgRetry;
 * fn must keep no state between attempts), errors mapped as the store maps
 * them: an outage or a deadlock left after the retries is StoreUnavailableError
 * (TEMPORARILY_UNAVAILABLE), so MLflow's client retries.
 *
 * @example const id = await pgMlflowTx(pool, where, (c) => insertProject(c, 'iris', Date.now(), null))
 */
export async function pgMlflowTx<T>(pool: pg.Pool, where: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await withPgRetry(() => pgTxOnce(pool, fn))
  } catch (e) {
    throw mapError(e, where)
  }
}

// ------------------------------------------------------------ projects (MLflow experiments)

export function pgProjects(q: Q): Promise<MlflowProjectRow[]> {
  return rows<MlflowProjectRow>(q, `${PROJECT_SELECT} ORDER BY p.id`)
}

export async function pgProject(q: Q, id: number): Promise<MlflowProjectRow | undefined> {
  return (await rows<MlflowProjectRow>(q, `${PROJECT_SELECT} WHERE p.id = $1`, [id]))[0]
}

export async function pgProjectByName(q: Q, name: string): Promise<MlflowProjectRow | undefined> {
  return (await rows<MlflowProjectRow>(q, `${PROJECT_SELECT} WHERE p.name = $1`, [name]))[0]
}

/** Creates the project, or finds it when another request made it meanwhile; returns its id. */
export async function pgInsertProject(c: pg.PoolClient, name: string, createdAt: number, artifactLocation: string | null): Promise<number> {
  const r = await rows<{ id: number }>(c, 'INSERT INTO projects (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id', [
    name,
    createdAt,
  ])
  const id = r[0]?.id ?? ((await rows<{ id: number }>(c, 'SELECT id FROM projects WHERE name = $1', [name]))[0] as { id: number }).id
  await pgSetProjectFields(c, id, { artifactLocation, updatedAt: createdAt })
  return id
}

/** Sets some of a project's MLflow fields (undefined: unchanged). */
export async function pgSetProjectFields(
  c: pg.PoolClient,
  id: number,
  f: { artifactLocation?: string | null; deletedAt?: number | null; updatedAt?: number | null },
): Promise<void> {
  await c.query(
    `INSERT INTO mlflow_experiments (project_id, artifact_location, deleted_at, updated_at) VALUES ($1, $3, $5, $7)
     ON CONFLICT (project_id) DO UPDATE SET
       artifact_location = CASE WHEN $2 THEN excluded.artifact_location ELSE mlflow_experiments.artifact_location END,
       deleted_at = CASE WHEN $4 THEN excluded.deleted_at ELSE mlflow_experiments.deleted_at END,
       updated_at = CASE WHEN $6 THEN excluded.updated_at ELSE mlflow_experiments.updated_at END`,
    [
      id,
      f.artifactLocation !== undefined,
      f.artifactLocation ?? null,
      f.deletedAt !== undefined,
      f.deletedAt ?? null,
      f.updatedAt !== undefined,
      f.updatedAt ?? null,
    ],
  )
}

export async function pgRenameProject(c: pg.PoolClient, id: number, name: string): Promise<void> {
  await c.query('UPDATE projects SET name = $1 WHERE id = $2', [name, id])
}

/** The tags of some projects, by project id, each in key order. */
export async function pgProjectTags(q: Q, ids: readonly number[]): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>(ids.map((id) => [id, {}]))
  const r = await rows<{ project_id: number; key: string; value: string }>(
    q,
    'SELECT project_id, key, value FROM mlflow_experiment_tags WHERE project_id = ANY($1::bigint[]) ORDER BY project_id, key COLLATE "C"',
    [ids],
  )
  for (const t of r) (out.get(t.project_id) as Record<string, string>)[t.key] = t.value
  return out
}

export async function pgSetProjectTag(c: pg.PoolClient, id: number, key: string, value: string): Promise<void> {
  await c.query('INSERT INTO mlflow_experiment_tags (project_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (project_id, key) DO UPDATE SET value = $3', [
    id,
    key,
    value,
  ])
}

export async function pgDeleteProjectTag(c: pg.PoolClient, id: number, key: string): Promise<number> {
  return (await c.query('DELETE FROM mlflow_experiment_tags WHERE project_id = $1 AND key = $2', [id, key])).rowCount ?? 0
}

// ------------------------------------------------------------ runs (mldb experiments)

/**
 * The experiment (live or trashed) that answers to an MLflow run id; `lock`: its row
 * locked in the same statement, a write's first lock on it (pg-locks.ts's order).
 */
export async function pgExperimentOfRun(q: Q, runId: string, lock = false): Promise<PgRunRef | undefined> {
  const m = SYNTHETIC.exec(runId)
  const id = m
    ? Number.parseInt(m[1] as string, 16)
    : (await rows<{ experiment_id: number }>(q, 'SELECT experiment_id FROM mlflow_runs WHERE run_id = $1', [runId]))[0]?.experiment_id
  if (id === undefined || !Number.isSafeInteger(id)) return undefined
  const [row] = await rows<PgRunRef & { run_id: string | null }>(
    q,
    `SELECT e.id, e.name, e.deleted_at, e.project_id, r.run_id FROM experiments e LEFT JOIN mlflow_runs r ON r.experiment_id = e.id WHERE e.id = $1${lock ? ` ${EXPERIMENT_LOCK} OF e` : ''}`,
    [id],
  )
  // a synthetic id of an experiment that has a real MLflow id is not its id
  if (!row || (m && row.run_id !== null)) return undefined
  return { id: row.id, name: row.name, deleted_at: row.deleted_at, project_id: row.project_id }
}

/** MLflow fields of many experiments at once, by experiment id. */
export async function pgRuns(q: Q, ids: readonly number[]): Promise<Map<number, MlflowRunRow>> {
  const r = await rows<MlflowRunRow>(q, 'SELECT experiment_id, run_id, artifact_uri, user_id FROM mlflow_runs WHERE experiment_id = ANY($1::bigint[])', [ids])
  return new Map(r.map((x) => [x.experiment_id, x]))
}

export async function pgSetRun(c: pg.PoolClient, experimentId: number, runId: string, artifactUri: string | null, userId: string | null): Promise<void> {
  await c.query(
    `INSERT INTO mlflow_runs (experiment_id, run_id, artifact_uri, user_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (experiment_id) DO UPDATE SET artifact_uri = excluded.artifact_uri, user_id = excluded.user_id`,
    [experimentId, runId, artifactUri, userId],
  )
}

/** Appends an input unless the same (kind, body) is there already. */
export async function pgAddInput(c: pg.PoolClient, experimentId: number, kind: string, body: string): Promise<void> {
  await c.query(
    `INSERT INTO mlflow_run_inputs (experiment_id, seq, kind, body)
     SELECT $1, coalesce(max(seq) + 1, 0), $2, $3 FROM mlflow_run_inputs WHERE experiment_id = $1
     HAVING NOT EXISTS (SELECT 1 FROM mlflow_run_inputs WHERE experiment_id = $1 AND kind = $2 AND body = $3)`,
    [experimentId, kind, body],
  )
}

/** The inputs and outputs of some experiments, by experiment id, each in the order logged. */
export async function pgInputs(q: Q, ids: readonly number[]): Promise<Map<number, MlflowInputRow[]>> {
  const out = new Map<number, MlflowInputRow[]>()
  const r = await rows<MlflowInputRow & { experiment_id: number }>(
    q,
    'SELECT experiment_id, kind, body FROM mlflow_run_inputs WHERE experiment_id = ANY($1::bigint[]) ORDER BY experiment_id, seq',
    [ids],
  )
  for (const x of r) {
    const list = out.get(x.experiment_id) ?? []
    list.push({ kind: x.kind, body: x.body })
    out.set(x.experiment_id, list)
  }
  return out
}

/** Ids of the live (or trashed) experiments of some projects. */
export async function pgExperimentIds(q: Q, projectIds: readonly number[], which: 'live' | 'deleted' | 'all'): Promise<number[]> {
  if (projectIds.length === 0) return []
  const where = which === 'live' ? 'AND deleted_at IS NULL' : which === 'deleted' ? 'AND deleted_at IS NOT NULL' : ''
  return (await rows<{ id: number }>(q, `SELECT id FROM experiments WHERE project_id = ANY($1::bigint[]) ${where} ORDER BY id`, [projectIds])).map((r) => r.id)
}

/** Sets an experiment's start or end time as MLflow gave it (undefined: unchanged). */
export async function pgSetRunTimes(c: pg.PoolClient, id: number, t: { startedAt?: number; endedAt?: number }): Promise<void> {
  if (t.startedAt !== undefined) {
    await c.query('UPDATE experiments SET started_at = $1, created_at = least(created_at, $1) WHERE id = $2', [t.startedAt, id])
  }
  if (t.endedAt !== undefined) await c.query('UPDATE experiments SET ended_at = $1 WHERE id = $2', [t.endedAt, id])
}

/** The experiment of that name, live or in the trash. */
export async function pgExperimentByName(q: Q, name: string): Promise<{ id: number; deleted_at: number | null } | undefined> {
  return (await rows<{ id: number; deleted_at: number | null }>(q, 'SELECT id, deleted_at FROM experiments WHERE name = $1', [name]))[0]
}

/** A new TRAINING experiment of an MLflow client (no heartbeat timer: it is alive while its client logs). */
export async function pgInsertExperiment(c: pg.PoolClient, name: string, projectId: number, now: number): Promise<number> {
  const r = await rows<{ id: number }>(
    c,
    `INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid)
     VALUES ($1, $2, 'TRAINING', $3, $3, NULL, $3, $3, 'mlflow client', 0) RETURNING id`,
    [name, projectId, now],
  )
  return (r[0] as { id: number }).id
}

/** Sets the stored status (the status_history trigger records the change), with the SQLite rule of started_at and ended_at. */
export async function pgSetStatus(c: pg.PoolClient, id: number, status: string, now: number): Promise<void> {
  await c.query(sql('experiments/set-status', 'postgres'), [status, now, ACTIVE.has(status), FINAL.has(status), id])
}

/** Sets tags (JSON-free text), touching the experiment. */
export async function pgSetTags(c: pg.PoolClient, id: number, tags: readonly (readonly [string, string])[], now: number): Promise<void> {
  for (const [k, v] of tags) {
    await c.query('INSERT INTO tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = $3', [id, k, v])
  }
  await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [now, id])
}

/** Deletes one tag of an experiment; how many rows went. */
export async function pgDeleteTag(c: pg.PoolClient, id: number, key: string): Promise<number> {
  return (await c.query('DELETE FROM tags WHERE experiment_id = $1 AND key = $2', [id, key])).rowCount ?? 0
}

/** An experiment's params as stored (JSON text), by key. */
export async function pgParams(q: Q, id: number): Promise<Map<string, string>> {
  return new Map((await rows<{ key: string; value: string }>(q, 'SELECT key, value FROM params WHERE experiment_id = $1', [id])).map((r) => [r.key, r.value]))
}

/** Inserts new params (JSON text); the caller has checked none changes. */
export async function pgInsertParams(c: pg.PoolClient, id: number, params: readonly (readonly [string, string])[], now: number): Promise<void> {
  for (const [k, v] of params) await c.query('INSERT INTO params (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, k, v])
  await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [now, id])
}

/** How many params and tags an experiment has (mldb's row limits). */
export async function pgRowCounts(c: pg.PoolClient, id: number): Promise<{ params: number; tags: number }> {
  const [r] = await rows<{ params: number; tags: number }>(
    c,
    'SELECT (SELECT count(*) FROM params WHERE experiment_id = $1) AS params, (SELECT count(*) FROM tags WHERE experiment_id = $1) AS tags',
    [id],
  )
  return r as { params: number; tags: number }
}

/** Moves an experiment to the trash, or back (MLflow's delete-run and restore-run). */
export async function pgSetTrashed(c: pg.PoolClient, id: number, trashed: boolean, now: number): Promise<void> {
  await c.query('UPDATE experiments SET deleted_at = $1, updated_at = $2 WHERE id = $3', [trashed ? now : null, now, id])
}

/** Moves every live (or trashed) experiment of a project to the trash (or back), locking their rows in id order (pg-locks.ts). */
export async function pgSetProjectTrashed(c: pg.PoolClient, projectId: number, trashed: boolean, now: number): Promise<void> {
  await c.query(
    `UPDATE experiments SET deleted_at = $1, updated_at = $2 WHERE id IN (
       SELECT id FROM experiments WHERE project_id = $3 AND deleted_at IS ${trashed ? 'NULL' : 'NOT NULL'} ORDER BY id ${EXPERIMENT_LOCK})`,
    [trashed ? now : null, now, projectId],
  )
}

/**
 * Logs points of one experiment through writePgBatch (the sync receiver's
 * writer), creating series in a fixed order so concurrent batches do not deadlock.
 */
export async function pgLogPoints(c: pg.PoolClient, experimentId: number, points: readonly RemotePoint[], now: number): Promise<void> {
  const groups = [...groupPoints(points).values()].sort((a, b) => (a.name + a.split < b.name + b.split ? -1 : 1))
  const batches = []
  for (const g of groups) {
    const ins = await rows<{ id: number }>(c, 'INSERT INTO series (experiment_id, name, split) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [
      experimentId,
      g.name,
      g.split,
    ])
    const id =
      ins[0]?.id ??
      (
        (await rows<{ id: number }>(c, 'SELECT id FROM series WHERE experiment_id = $1 AND name = $2 AND split = $3', [experimentId, g.name, g.split]))[0] as {
          id: number
        }
      ).id
    batches.push({ seriesId: id, points: g.points })
  }
  await writePgBatch(c, batches, { experimentId, now })
}

/** One series' points of an experiment, live or trashed, in step order (equal steps in the order logged). */
export async function pgPoints(q: Q, experimentId: number, name: string, split: string): Promise<{ step: number; time: number; value: number }[]> {
  const { text, values } = pgNamed('mlflow/metric-history', { experiment: experimentId, name, split })
  return rows(q, text, values)
}

/**
 * Which of some points a run holds already, by index (MLflow's metric key: key,
 * timestamp, step, value; NaN equals NaN in PostgreSQL): one round trip per batch.
 */
export async function pgExistingPoints(
  q: Q,
  experimentId: number,
  points: readonly { name: string; split: string; step: number; time: number; value: number }[],
): Promise<Set<number>> {
  if (points.length === 0) return new Set()
  const r = await rows<{ i: number }>(
    q,
    `SELECT u.i FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::float8[]) WITH ORDINALITY AS u(name, split, step, time, value, i)
      WHERE EXISTS (SELECT 1 FROM points p JOIN series s ON s.id = p.series_id
        WHERE s.experiment_id = $1 AND s.name = u.name AND s.split = u.split AND p.step = u.step AND p.time = u.time AND p.value = u.value)`,
    [
      experimentId,
      points.map((p) => p.name),
      points.map((p) => p.split),
      pgNumbers(points.map((p) => p.step)),
      pgNumbers(points.map((p) => p.time)),
      pgNumbers(points.map((p) => p.value)),
    ],
  )
  return new Set(r.map((x) => Number(x.i) - 1))
}

// ------------------------------------------------------------ files

/** The paths of an experiment's file records. */
export async function pgFilePaths(q: Q, experimentId: number): Promise<Set<string>> {
  return new Set((await rows<{ path: string }>(q, 'SELECT path FROM file_pointers WHERE experiment_id = $1', [experimentId])).map((r) => r.path))
}

/** Records a file of an experiment (meta: JSON text). */
export async function pgAddFile(c: pg.PoolClient, experimentId: number, f: RemoteFile & { meta: null }, meta: string, now: number): Promise<void> {
  await c.query(
    `INSERT INTO file_pointers (experiment_id, path, kind, step, size, mtime, sha256, meta, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [experimentId, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, meta, now],
  )
  await c.query('UPDATE experiments SET updated_at = $1 WHERE id = $2', [now, experimentId])
}

// ------------------------------------------------------------ logged models (MLflow 3)

/** Stores (or replaces) a logged model's JSON. */
export async function pgPutLoggedModel(c: pg.PoolClient, modelId: string, projectId: number, experimentId: number | null, createdAt: number, body: string) {
  await c.query(
    `INSERT INTO mlflow_logged_models (model_id, project_id, experiment_id, created_at, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (model_id) DO UPDATE SET body = excluded.body`,
    [modelId, projectId, experimentId, createdAt, body],
  )
}

export async function pgLoggedModel(
  q: Q,
  modelId: string,
  lock = false,
): Promise<{ project_id: number; experiment_id: number | null; body: string } | undefined> {
  return (
    await rows<{ project_id: number; experiment_id: number | null; body: string }>(
      q,
      `SELECT project_id, experiment_id, body FROM mlflow_logged_models WHERE model_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [modelId],
    )
  )[0]
}

/** The logged models of some projects, newest first. */
export async function pgLoggedModels(q: Q, projectIds: readonly number[]): Promise<string[]> {
  if (projectIds.length === 0) return []
  return (
    await rows<{ body: string }>(
      q,
      'SELECT body FROM mlflow_logged_models WHERE project_id = ANY($1::bigint[]) ORDER BY created_at DESC, model_id COLLATE "C"',
      [projectIds],
    )
  ).map((r) => r.body)
}

export async function pgDeleteLoggedModel(c: pg.PoolClient, modelId: string): Promise<number> {
  return (await c.query('DELETE FROM mlflow_logged_models WHERE model_id = $1', [modelId])).rowCount ?? 0
}
