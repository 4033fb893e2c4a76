/**
 * From mldb's rows to MLflow's wire objects, and MLflow's rules that need no
 * database: shared by the SQLite adapter (backend.ts) and the PostgreSQL one
 * (pg-backend.ts), so both answer alike.
 */
import type { MlflowInputRow, MlflowProjectRow, MlflowRunRow } from '../../store/mlflow-rows.js'
import { syntheticRunId } from '../../store/mlflow-rows.js'
import type { ExperimentSummary, Json } from '../../store/types.js'
import { MlflowApiError } from './errors.js'
import { paramText, toMlflowStatus, type WireExperiment, type WireLoggedModel, type WireRun } from './wire.js'

/** MLflow's default experiment (id "0", "Default") is mldb's `default` project. */
export const DEFAULT_PROJECT = 'default'

export const lifecycle = (deletedAt: number | null) => (deletedAt === null ? 'active' : 'deleted')

/** A project's MLflow experiment id: "0" for the default project, else its row id. */
export function wireExperimentId(p: MlflowProjectRow): string {
  return p.name === DEFAULT_PROJECT ? '0' : String(p.id)
}

/** The project row id an MLflow experiment id names (not "0"), or undefined when it cannot be one. */
export function projectIdOf(experimentId: string): number | undefined {
  return /^[1-9][0-9]{0,15}$/.test(experimentId) ? Number(experimentId) : undefined
}

/** The project name an MLflow experiment name means ("Default" is mldb's `default`). */
export const projectNameOf = (name: string) => (name === 'Default' ? DEFAULT_PROJECT : name)

/** The artifact location of a project, or the proxy's default one. */
export const artifactBase = (p: MlflowProjectRow) => p.artifact_location ?? `mlflow-artifacts:/${wireExperimentId(p)}`

export function toWireExperiment(p: MlflowProjectRow, tags: Record<string, string>): WireExperiment {
  return {
    experiment_id: wireExperimentId(p),
    name: p.name === DEFAULT_PROJECT ? 'Default' : p.name,
    artifact_location: artifactBase(p),
    lifecycle_stage: lifecycle(p.deleted_at),
    creation_time: p.created_at,
    last_update_time: p.updated_at ?? p.created_at,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  }
}

export const noExperiment = (experimentId: string) => new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`)
export const emptyName = () =>
  new MlflowApiError('INVALID_PARAMETER_VALUE', "Invalid value '' for parameter 'name' supplied: the experiment name must not be empty")
export const nameTaken = (name: string, deletedAt: number | null) =>
  new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists. Error: the name is taken (lifecycle ${lifecycle(deletedAt)})`)
export const noRun = (runId: string) => new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`)
export const runNotActive = (runId: string) =>
  new MlflowApiError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`)
export const experimentNotActive = (experimentId: string) =>
  new MlflowApiError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`)
export const noLoggedModel = (modelId: string) => new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found`)

/** MLflow's refusal of a param logged again with another value. */
export function paramChanged(key: string, had: Json, value: string, runId: string): MlflowApiError {
  return new MlflowApiError(
    'INVALID_PARAMETER_VALUE',
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${paramText(had)}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
  )
}

/** A new run's run id (MLflow's: a uuid in 32 hex digits). */
export const newRunId = (uuid: string) => uuid.replaceAll('-', '')

/** The run's display name, and the mldb experiment names to try in turn (names are unique in mldb, not in MLflow). */
export function runNames(r: { runName?: string | undefined; tags: Record<string, string> }, runId: string): { runName: string; candidates: string[] } {
  const runName = r.runName || r.tags['mlflow.runName'] || `run-${runId.slice(0, 8)}`
  return { runName, candidates: [runName, `${runName}-${runId.slice(0, 8)}`, `${runName}-${runId}`] }
}

/** A new logged model as MLflow's create-logged-model answers it. */
export function newLoggedModel(
  p: MlflowProjectRow,
  m: {
    name?: string | undefined
    modelType?: string | undefined
    sourceRunId?: string | undefined
    params: WireLoggedModel['data']['params']
    tags: WireLoggedModel['info']['tags']
  },
  modelId: string,
  now: number,
): WireLoggedModel {
  return {
    info: {
      model_id: modelId,
      experiment_id: wireExperimentId(p),
      name: m.name || `model-${modelId.slice(2, 10)}`,
      artifact_uri: `${artifactBase(p)}/models/${modelId}/artifacts`,
      creation_timestamp_ms: now,
      last_updated_timestamp_ms: now,
      status: 'LOGGED_MODEL_PENDING',
      tags: m.tags,
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
    },
    data: { params: m.params, metrics: [] },
  }
}

/** One mldb experiment as an MLflow run: its summary, MLflow's own fields, its project and its logged inputs. */
export function toWireRun(e: ExperimentSummary, m: MlflowRunRow | undefined, p: MlflowProjectRow | undefined, inputs: readonly MlflowInputRow[]): WireRun {
  const expId = p ? wireExperimentId(p) : '0'
  const runId = m?.run_id ?? syntheticRunId(e.id)
  const tags = { ...e.tags }
  const runName = tags['mlflow.runName'] ?? e.name
  tags['mlflow.runName'] = runName
  const parse = (kind: string) => inputs.filter((i) => i.kind === kind).map((i) => JSON.parse(i.body) as unknown)
  return {
    info: {
      run_id: runId,
      run_uuid: runId,
      run_name: runName,
      experiment_id: expId,
      user_id: m?.user_id ?? tags['mlflow.user'] ?? '',
      status: toMlflowStatus(e.status),
      start_time: e.startedAt ?? e.createdAt,
      ...(e.endedAt !== null ? { end_time: e.endedAt } : {}),
      artifact_uri: m?.artifact_uri ?? `mlflow-artifacts:/${expId}/${runId}/artifacts`,
      lifecycle_stage: lifecycle(e.deletedAt),
    },
    data: {
      metrics: Object.values(e.series).map((s) => ({ key: s.key, value: s.last, timestamp: s.lastTime ?? 0, step: s.lastStep ?? 0 })),
      params: Object.entries(e.params).map(([key, v]) => ({ key, value: paramText(v) })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    inputs: { dataset_inputs: parse('dataset'), model_inputs: parse('model_input') },
    outputs: { model_outputs: parse('model_output') },
  }
}

/** mldb's file kind of an artifact, from its name. */
export function artifactKind(path: string): 'model' | 'image' | 'data' | 'other' {
  const lower = path.toLowerCase()
  if (/\.(png|jpe?g|gif|webp|svg)$/.test(lower)) return 'image'
  if (/\.(pt|pth|pkl|onnx|safetensors|h5|ckpt|joblib)$/.test(lower) || /\/mlmodel$/i.test(lower)) return 'model'
  if (/\.(csv|json|parquet|txt|npy|npz)$/.test(lower)) return 'data'
  return 'other'
}
