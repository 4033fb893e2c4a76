/**
 * MLflow's model registry into mldb's (migration 002), by the mapping MLflow's
 * REST routes read (src/server/mlflow/registry-backend.ts): a registered model
 * is an mldb model; a version is an mldb version, under MLflow's number,
 * pointing at one file record of its run (the `MLmodel` of its logged model or
 * artifact folder, else its first file); MLflow's `source`, `model_id` and the
 * version's tags are kept beside the run's MLflow inputs. What cannot be kept
 * (a name mldb refuses, a version whose files are not on this machine, an alias
 * of such a version) is left out with one report line each.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { inFolder, parseVersionSource, pickVersionFile, sourceFolder } from '../registry/mlflow-version-source.js'
import { checkAlias, checkModelName } from '../registry/names.js'
import { checkDescription, checkTags } from '../registry/registry.js'
import { MlflowImportRows } from '../store/mlflow-import-rows.js'
import { MlflowRows } from '../store/mlflow-rows.js'
import { RegistryRows } from '../store/registry-rows.js'
import type { FileRecord } from '../store/types.js'
import type { Database } from './database.js'
import type { MlflowSourceModelVersion, MlflowSourceRegisteredModel } from './mlflow-import-write.js'
import { textProblem } from './validate-text.js'

/** What importing a registry did. */
export interface RegistryImport {
  models: number
  versions: number
  /** versions whose model and number the database had already */
  alreadyImported: number
  /** one line per model, version, alias or tag left out, saying why */
  report: string[]
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * Writes registered models, their versions and aliases, inside the caller's
 * transaction, after the runs and logged models they point at.
 *
 * @example writeRegistry(db, source.registeredModels ?? [], source.modelVersions ?? [])
 */
export function writeRegistry(db: Database, models: MlflowSourceRegisteredModel[], versions: MlflowSourceModelVersion[]): RegistryImport {
  const out: RegistryImport = { models: 0, versions: 0, alreadyImported: 0, report: [] }
  const reg = new RegistryRows(db.sqlite)
  const extra = new MlflowImportRows(db.sqlite)
  const mlflow = new MlflowRows(db.sqlite)
  for (const m of models) {
    const own = versions.filter((v) => v.name === m.name).sort((a, b) => a.version - b.version)
    try {
      checkModelName(m.name)
    } catch (e) {
      const n = own.length
      out.report.push(`registered model "${m.name}" left out${n ? ` with its ${n} version${n === 1 ? '' : 's'}` : ''}: ${message(e)}`)
      continue
    }
    let row = reg.model(m.name)
    if (!row) {
      const tags: Record<string, string> = {}
      for (const [k, v] of Object.entries(m.tags)) {
        try {
          Object.assign(tags, checkTags({ [k]: v }))
        } catch (e) {
          out.report.push(`registered model "${m.name}": tag left out: ${message(e)}`)
        }
      }
      let description = ''
      try {
        description = checkDescription(m.description)
      } catch (e) {
        out.report.push(`registered model "${m.name}": description left out: ${message(e)}`)
      }
      reg.insertModel(m.name, description, JSON.stringify(tags), m.createdAt ?? Date.now())
      row = reg.model(m.name)
      out.models++
    }
    if (!row) continue
    const modelId = row.id
    for (const v of own) {
      const label = `model "${m.name}" version ${v.version}`
      if (reg.version(modelId, v.version)) {
        out.alreadyImported++
        continue
      }
      const found = versionFile(db, mlflow, v)
      if (typeof found === 'string') {
        out.report.push(`${label} left out: ${found}`)
        continue
      }
      if (extra.lastVersion(modelId) >= v.version) {
        out.report.push(`${label} left out: mldb's model "${m.name}" already gave number ${v.version} (to a version since deleted)`)
        continue
      }
      try {
        extra.reserveVersion(modelId, v.version)
        const mv = db.registerModel(m.name, { exp: found.run.name, file: found.file.id, description: v.description })
        extra.setVersionOrigin(modelId, mv.version, v.createdAt ?? mv.registeredAt, v.userId ?? '')
        const tags: Record<string, string> = {}
        for (const [k, t] of Object.entries(v.tags)) {
          // MLflow's stores can hold a U+0000; a name or value mldb cannot keep is left out, the version imports
          const problem = textProblem(k) ?? textProblem(t)
          if (problem) out.report.push(`${label}: tag ${JSON.stringify(k)} left out: it ${problem}`)
          else tags[k] = t
        }
        const extras = { source: v.source ?? '', tags, ...(found.modelId ? { model_id: found.modelId } : {}) }
        mlflow.setVersionExtras(found.run.id, m.name, mv.version, JSON.stringify(extras))
        out.versions++
      } catch (e) {
        out.report.push(`${label} left out: ${message(e)}`)
      }
    }
    for (const [alias, version] of Object.entries(m.aliases)) {
      try {
        checkAlias(alias)
      } catch (e) {
        out.report.push(`model "${m.name}" alias "${alias}" left out: ${message(e)}`)
        continue
      }
      if (!reg.version(modelId, version)) {
        out.report.push(`model "${m.name}" alias "${alias}" left out: its version ${version} was not imported`)
        continue
      }
      // a no-op when it already points there (a second import)
      reg.setAlias(modelId, alias, version, m.updatedAt ?? Date.now(), 'mlflow import')
    }
    extra.setModelTimes(modelId, m.createdAt ?? row.created_at, m.updatedAt ?? m.createdAt ?? row.updated_at)
  }
  const known = new Set(models.map((m) => m.name))
  for (const v of versions)
    if (!known.has(v.name)) out.report.push(`model "${v.name}" version ${v.version} left out: its registered model is not in the source`)
  return out
}

/** The run and file record a version points at, or why there is none on this machine. */
function versionFile(
  db: Database,
  mlflow: MlflowRows,
  v: MlflowSourceModelVersion,
): { run: { id: number; name: string }; file: FileRecord; modelId?: string } | string {
  const where = v.source ?? v.storageLocation ?? '(no source)'
  const liveRun = (id: number) => db.listExperiments({ ids: [id] })[0]
  const s = parseVersionSource(v.source ?? '', v.runId ?? undefined, v.modelId ?? undefined, v.storageLocation ?? undefined)
  if (!s) return `its source ${where} is not a run's or logged model's artifacts on this machine`
  if ('loggedModel' in s) {
    const modelId = s.loggedModel
    const row = mlflow.loggedModel(modelId)
    if (!row) return `its logged model ${modelId} is not in the source`
    if (row.experiment_id === null) return `its logged model ${modelId} has no source run, so no files in mldb`
    const run = liveRun(row.experiment_id)
    if (!run) return `the run of its logged model ${modelId} is deleted`
    const file = pickVersionFile(db.getFiles(run.name).filter((f) => f.meta?.mlflowLoggedModel === modelId))
    if (!file) return `the files of its logged model ${modelId} are not on this machine`
    return { run: { id: run.id, name: run.name }, file, modelId }
  }
  const runId = s.runId
  const r = mlflow.experimentOfRun(runId)
  if (!r) return `its run ${runId} is not in the source`
  if (r.deleted_at !== null) return `its run ${runId} is deleted`
  const local = 'under' in s ? localPath(s.under) : undefined
  if (local !== undefined) {
    // a path under the run's artifact folder (MLflow 2's runs:/ sources resolve to one); copies remember where they came from
    const inside = (p: unknown) => typeof p === 'string' && (p === local || p.startsWith(`${local}/`))
    const file = pickVersionFile(db.getFiles(r.name).filter((f) => inside(f.path) || inside(f.meta?.mlflowCopiedFrom)))
    if (file) return { run: { id: r.id, name: r.name }, file }
  }
  const folder = sourceFolder(s, mlflow.run(r.id)?.artifact_uri ?? '')
  if ('why' in folder) return `its source ${where} is ${folder.why}`
  const file = pickVersionFile(db.getFiles(r.name).filter((f) => inFolder(folder.dir, f.meta?.mlflowArtifact)))
  if (!file) return `no artifact of run ${runId} under ${folder.dir} is on this machine`
  return { run: { id: r.id, name: r.name }, file }
}

/** The local folder a source URI names (a `file:` URI or an absolute path), else undefined. */
function localPath(uri: string): string | undefined {
  let p: string
  if (uri.startsWith('file:')) {
    try {
      p = fileURLToPath(uri.startsWith('file:///') ? uri : `file://${uri.slice(5)}`)
    } catch {
      return undefined
    }
  } else if (uri.startsWith('/')) p = uri
  else return undefined
  try {
    return realpathSync(p)
  } catch {
    return p.replace(/\/+$/, '')
  }
}
