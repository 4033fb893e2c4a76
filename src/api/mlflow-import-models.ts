/**
 * MLflow 3's logged models into what mldb keeps of them (migration 009, read
 * by MLflow's REST routes): the LoggedModel object MLflow's client reads back,
 * and its files as `model` file records of its source run.
 */
import { MlflowRows } from '../store/mlflow-rows.js'
import type { Database } from './database.js'
import type { ImportedFile } from './import-bundle.js'
import { artifactFiles, type MlflowSourceLoggedModel } from './mlflow-import-write.js'

/** The files of a logged model found on this machine, as model files naming it. */
export function loggedModelFiles(m: MlflowSourceLoggedModel): ImportedFile[] {
  return artifactFiles(m.artifactLocation).map((f) => ({ ...f, kind: 'model', meta: { ...f.meta, mlflowLoggedModel: m.modelId } }))
}

/** MLflow's REST id of an mldb project: the default project is MLflow's experiment 0. */
export const wireExperimentId = (project: { id: number; name: string }): string => (project.name === 'default' ? '0' : String(project.id))

/** A number as MLflow's JSON carries it (NaN and infinities as its strings). */
const wireNumber = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity')

/**
 * Stores one logged model as MLflow's REST API returns it, in the project of
 * its MLflow experiment, linked to the experiment of its source run when that
 * run is in the database.
 *
 * @example putLoggedModel(db, m, project, 'mlflow-artifacts:/3/models/m-…/artifacts')
 */
export function putLoggedModel(db: Database, m: MlflowSourceLoggedModel, project: { id: number; name: string }, artifactUri: string): void {
  const rows = new MlflowRows(db.sqlite)
  const run = m.sourceRunId ? rows.experimentOfRun(m.sourceRunId) : undefined
  const kv = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }))
  const body = {
    info: {
      model_id: m.modelId,
      experiment_id: wireExperimentId(project),
      name: m.name,
      artifact_uri: artifactUri,
      creation_timestamp_ms: m.createdAt,
      last_updated_timestamp_ms: m.updatedAt,
      status: m.status,
      ...(m.statusMessage ? { status_message: m.statusMessage } : {}),
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
      tags: kv(m.tags),
    },
    data: { params: kv(m.params), metrics: m.metrics.map((x) => ({ ...x, value: wireNumber(x.value), model_id: m.modelId })) },
  }
  rows.putLoggedModel(m.modelId, project.id, run?.id ?? null, m.createdAt, JSON.stringify(body))
}
