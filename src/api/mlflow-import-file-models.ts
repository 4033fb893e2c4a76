/**
 * The models of MLflow's file store (`mlruns/`): MLflow 3's logged models under
 * `<experiment>/models/<model id>/` and the registry under `models/<name>/`
 * (`meta.yaml`, `tags/`, `aliases/`, `version-<n>/`), which MLflow 3's file
 * store still keeps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LOGGED_MODEL_STATUS, type MlflowSourceLoggedModel, type MlflowSourceModelVersion, type MlflowSourceRegisteredModel } from './mlflow-import-write.js'
import { readMeta } from './mlflow-meta.js'
import { parseNumberText } from './records.js'

const subdirs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : []
/** The files of a folder as key → content (tag, param and alias files). */
const fileValues = (dir: string): Record<string, string> =>
  existsSync(dir)
    ? Object.fromEntries(
        readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => [d.name, readFileSync(join(dir, d.name), 'utf8')]),
      )
    : {}
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null)
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/** The logged models of one experiment folder (`<exp>/models/<id>/meta.yaml`). */
export function readFileLoggedModels(expDir: string, experimentId: string): MlflowSourceLoggedModel[] {
  const root = join(expDir, 'models')
  const out: MlflowSourceLoggedModel[] = []
  for (const id of subdirs(root)) {
    const dir = join(root, id)
    if (!existsSync(join(dir, 'meta.yaml'))) continue
    const m = readMeta(join(dir, 'meta.yaml'))
    const metrics: MlflowSourceLoggedModel['metrics'] = []
    for (const [key, text] of Object.entries(fileValues(join(dir, 'metrics')))) {
      for (const line of text.split('\n')) {
        // "timestamp value step run_id [dataset_name dataset_digest]"
        const [ts, val, step, runId, dsName, dsDigest] = line.trim().split(' ')
        if (!ts || val === undefined || step === undefined || runId === undefined) continue
        metrics.push({
          key,
          value: parseNumberText(val) ?? Number.NaN,
          timestamp: Number(ts),
          step: Number(step),
          run_id: runId,
          ...(dsName && dsDigest ? { dataset_name: dsName, dataset_digest: dsDigest } : {}),
        })
      }
    }
    const created = num(m.creation_timestamp) ?? 0
    out.push({
      modelId: String(m.model_id ?? id),
      experimentId: String(m.experiment_id ?? experimentId),
      name: String(m.name ?? id),
      artifactLocation: String(m.artifact_location ?? join(dir, 'artifacts')),
      createdAt: created,
      updatedAt: num(m.last_updated_timestamp) ?? created,
      status: LOGGED_MODEL_STATUS[String(m.status)] ?? (typeof m.status === 'string' ? m.status : 'LOGGED_MODEL_STATUS_UNSPECIFIED'),
      statusMessage: str(m.status_message),
      modelType: str(m.model_type),
      sourceRunId: str(m.source_run_id),
      deleted: m.lifecycle_stage === 'deleted',
      params: fileValues(join(dir, 'params')),
      tags: fileValues(join(dir, 'tags')),
      metrics: metrics.sort((a, b) => a.key.localeCompare(b.key) || a.step - b.step || a.timestamp - b.timestamp),
    })
  }
  return out
}

/** The registry of a file store (`mlruns/models/`); none when the folder is absent. */
export function readFileRegistry(storeDir: string): { registeredModels: MlflowSourceRegisteredModel[]; modelVersions: MlflowSourceModelVersion[] } {
  const root = join(storeDir, 'models')
  const registeredModels: MlflowSourceRegisteredModel[] = []
  const modelVersions: MlflowSourceModelVersion[] = []
  for (const folder of subdirs(root)) {
    const dir = join(root, folder)
    if (!existsSync(join(dir, 'meta.yaml'))) continue
    const m = readMeta(join(dir, 'meta.yaml'))
    const name = String(m.name ?? folder)
    const aliases: Record<string, number> = {}
    if (typeof m.aliases === 'object' && m.aliases !== null)
      for (const [a, v] of Object.entries(m.aliases as Record<string, unknown>)) if (num(v) !== null) aliases[a] = num(v) as number
    for (const [a, v] of Object.entries(fileValues(join(dir, 'aliases')))) if (/^\d+$/.test(v.trim())) aliases[a] = Number(v.trim())
    registeredModels.push({
      name,
      description: str(m.description) ?? '',
      createdAt: num(m.creation_timestamp),
      updatedAt: num(m.last_updated_timestamp),
      tags: fileValues(join(dir, 'tags')),
      aliases,
    })
    for (const vdir of subdirs(dir).filter((d) => /^version-\d+$/.test(d))) {
      const vm = readMeta(join(dir, vdir, 'meta.yaml'))
      if (vm.current_stage === 'Deleted_Internal') continue
      modelVersions.push({
        name,
        version: Number(vm.version ?? vdir.slice('version-'.length)),
        createdAt: num(vm.creation_timestamp),
        description: str(vm.description) ?? '',
        userId: str(vm.user_id),
        source: str(vm.source),
        runId: str(vm.run_id) || null,
        storageLocation: str(vm.storage_location),
        modelId: str(vm.model_id),
        tags: fileValues(join(dir, vdir, 'tags')),
      })
    }
  }
  modelVersions.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version)
  return { registeredModels, modelVersions }
}
