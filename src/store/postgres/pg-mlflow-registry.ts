/**
 * The SQL of MLflow's model registry calls on PostgreSQL that mldb's own
 * registry (pg-registry.ts: register, aliases, reads) has no call for: a
 * model without versions, a model's description and tags, deleting models and
 * versions, a version's description, and MLflow's own fields of a version
 * (source, tags), kept beside its run's MLflow inputs as on SQLite (mlflow-rows.ts).
 */
import type pg from 'pg'
import { lockExperiments } from './pg-locks.js'
import type { Q } from './pg-mlflow.js'
import { pgAddInput } from './pg-mlflow.js'

async function rows<T>(q: Q, text: string, values: unknown[] = []): Promise<T[]> {
  return (await q.query(text, values)).rows as T[]
}

/** A model's row, locked for the transaction; undefined when there is none. */
export async function pgModelForUpdate(c: pg.PoolClient, name: string): Promise<{ id: number; description: string; tags: string } | undefined> {
  return (
    await rows<{ id: number; description: string; tags: string }>(c, 'SELECT id, description, tags FROM registered_models WHERE name = $1 FOR UPDATE', [name])
  )[0]
}

/** Creates a model without versions; false when the name is taken. */
export async function pgInsertModel(c: pg.PoolClient, name: string, description: string, tags: Record<string, string>, now: number): Promise<boolean> {
  const r = await c.query(
    'INSERT INTO registered_models (name, description, tags, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING',
    [name, description, JSON.stringify(tags), now],
  )
  return (r.rowCount ?? 0) > 0
}

/** Sets a model's description and tags (JSON object text). */
export async function pgUpdateModel(c: pg.PoolClient, id: number, description: string, tags: string, now: number): Promise<void> {
  await c.query('UPDATE registered_models SET description = $1, tags = $2, updated_at = $3 WHERE id = $4', [description, tags, now, id])
}

/** Deletes a model with its versions, aliases, history and the versions' MLflow fields. */
export async function pgDeleteModel(c: pg.PoolClient, name: string): Promise<void> {
  await c.query(`DELETE FROM mlflow_run_inputs WHERE kind = 'model_version' AND (body::jsonb ->> 'name') = $1`, [name])
  await c.query('DELETE FROM registered_models WHERE name = $1', [name])
}

/** A version's description (MLflow's update-model-version). */
export async function pgSetVersionDescription(c: pg.PoolClient, modelId: number, version: number, description: string): Promise<void> {
  await c.query('UPDATE model_versions SET description = $1 WHERE model_id = $2 AND version = $3', [description, modelId, version])
}

/**
 * Deletes a version as MLflow's delete-model-version: the aliases pointing at
 * it go too, each recorded in the alias history; the number is not reused.
 */
export async function pgDeleteVersion(c: pg.PoolClient, modelId: number, name: string, version: number, now: number): Promise<void> {
  await c.query(
    `INSERT INTO model_alias_history (model_id, alias, from_version, to_version, time, who)
     SELECT model_id, alias, version, NULL, $3, 'mlflow client' FROM model_aliases WHERE model_id = $1 AND version = $2 ORDER BY alias`,
    [modelId, version, now],
  )
  await c.query('DELETE FROM model_aliases WHERE model_id = $1 AND version = $2', [modelId, version])
  await c.query('DELETE FROM model_versions WHERE model_id = $1 AND version = $2', [modelId, version])
  await c.query(`DELETE FROM mlflow_run_inputs WHERE kind = 'model_version' AND (body::jsonb ->> 'name') = $1 AND (body::jsonb ->> 'version')::bigint = $2`, [
    name,
    version,
  ])
  await c.query('UPDATE registered_models SET updated_at = $1 WHERE id = $2', [now, modelId])
}

/** MLflow's fields of a registered version (JSON object text), kept with its run. */
export async function pgVersionExtras(q: Q, experimentId: number, model: string, version: number): Promise<string | undefined> {
  return (
    await rows<{ body: string }>(
      q,
      `SELECT body FROM mlflow_run_inputs WHERE experiment_id = $1 AND kind = 'model_version'
        AND (body::jsonb ->> 'name') = $2 AND (body::jsonb ->> 'version')::bigint = $3`,
      [experimentId, model, version],
    )
  )[0]?.body
}

/** Sets a version's MLflow fields, replacing what was kept; the run's row locked first, as its log-inputs are (pgAddInput's next seq). */
export async function pgSetVersionExtras(c: pg.PoolClient, experimentId: number, model: string, version: number, body: string): Promise<void> {
  await lockExperiments(c, [experimentId])
  await c.query(
    `DELETE FROM mlflow_run_inputs WHERE experiment_id = $1 AND kind = 'model_version'
      AND (body::jsonb ->> 'name') = $2 AND (body::jsonb ->> 'version')::bigint = $3`,
    [experimentId, model, version],
  )
  await pgAddInput(c, experimentId, 'model_version', JSON.stringify({ ...(JSON.parse(body) as object), name: model, version }))
}

/** The experiment (live or trashed) of a name, with its MLflow run id if it has one. */
export async function pgRunOfName(q: Q, name: string): Promise<{ id: number; run_id: string | null } | undefined> {
  return (
    await rows<{ id: number; run_id: string | null }>(
      q,
      'SELECT e.id, r.run_id FROM experiments e LEFT JOIN mlflow_runs r ON r.experiment_id = e.id WHERE e.name = $1',
      [name],
    )
  )[0]
}
