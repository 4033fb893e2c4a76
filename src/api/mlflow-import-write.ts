/**
 * What every MLflow source (an `mlruns/` folder, an `mlflow.db`) reads into,
 * and the one writer that brings it into mldb without loss: run ids,
 * artifact URIs, users, experiment tags, deleted runs and experiments (into
 * the trash), run inputs, params as MLflow's text.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nameTakenLookup } from '../store/import-rows.js'
import { MlflowRows } from '../store/mlflow-rows.js'
import type { Database } from './database.js'
import { statFile } from './files.js'
import { checkBundle, type ExperimentBundle, type ImportedFile, writeBundle } from './import-bundle.js'
import { artifactUri, copyArtifacts } from './mlflow-import-copy.js'
import { loggedModelFiles, putLoggedModel, wireExperimentId } from './mlflow-import-models.js'
import { writeRegistry } from './mlflow-import-registry.js'
import { leaveOutBadModelText, leaveOutBadRunText, mlflowProjectNames } from './mlflow-import-text.js'
import { textProblem } from './validate-text.js'

/** An MLflow experiment as a source holds it. */
export interface MlflowSourceExperiment {
  /** MLflow's experiment id */
  id: string
  name: string
  artifactLocation: string | null
  deletedAt: number | null
  createdAt: number | null
  updatedAt: number | null
  tags: Record<string, string>
}

/** An MLflow run: its bundle (name and project chosen when written) and MLflow's own fields. */
export interface MlflowSourceRun {
  runId: string
  experimentId: string
  runName: string
  bundle: ExperimentBundle
  artifactUri: string | null
  userId: string | null
  deletedAt: number | null
  inputs: { kind: string; body: string }[]
}

/** An MLflow 3 logged model (`mlflow.<flavor>.log_model`) as a source holds it. */
export interface MlflowSourceLoggedModel {
  modelId: string
  /** MLflow's experiment id */
  experimentId: string
  name: string
  artifactLocation: string
  createdAt: number
  updatedAt: number
  /** MLflow's LoggedModelStatus name, e.g. LOGGED_MODEL_READY */
  status: string
  statusMessage: string | null
  modelType: string | null
  sourceRunId: string | null
  /** deleted in MLflow: its client no longer returns it */
  deleted: boolean
  params: Record<string, string>
  tags: Record<string, string>
  metrics: { key: string; value: number; timestamp: number; step: number; run_id: string; dataset_name?: string; dataset_digest?: string }[]
}

/** A registered model of MLflow's registry. */
export interface MlflowSourceRegisteredModel {
  name: string
  description: string
  createdAt: number | null
  updatedAt: number | null
  tags: Record<string, string>
  /** alias → version */
  aliases: Record<string, number>
}

/** A version of a registered model. */
export interface MlflowSourceModelVersion {
  name: string
  version: number
  createdAt: number | null
  description: string
  userId: string | null
  source: string | null
  runId: string | null
  storageLocation: string | null
  /** MLflow 3's logged model id, when the store keeps it on the version */
  modelId: string | null
  tags: Record<string, string>
}

/** A whole MLflow source, read and ready to write. */
export interface MlflowSource {
  experiments: MlflowSourceExperiment[]
  runs: MlflowSourceRun[]
  loggedModels?: MlflowSourceLoggedModel[]
  registeredModels?: MlflowSourceRegisteredModel[]
  modelVersions?: MlflowSourceModelVersion[]
}

/** MLflow's LoggedModelStatus numbers (SQL and file stores) as the names its REST API speaks. */
export const LOGGED_MODEL_STATUS: Record<string, string> = {
  '0': 'LOGGED_MODEL_STATUS_UNSPECIFIED',
  '1': 'LOGGED_MODEL_PENDING',
  '2': 'LOGGED_MODEL_READY',
  '3': 'LOGGED_MODEL_UPLOAD_FAILED',
}

/** What an import did. */
export interface MlflowImportResult {
  /** mldb names of the runs written now */
  imported: string[]
  /** runs whose MLflow run id the database had already: left as they are */
  alreadyImported: number
  points: number
  /** logged models written now, and those the database had already */
  loggedModels: number
  loggedModelsAlreadyImported: number
  /** registered models and versions written now, and versions the database had already */
  registeredModels: number
  modelVersions: number
  modelVersionsAlreadyImported: number
  /** artifact files copied (with --copy-artifacts) */
  copiedFiles: number
  /** one line per thing left out, saying why */
  report: string[]
}

/** How to import. */
export interface MlflowImportOptions {
  /** copy local artifact bytes into this folder (file records then point at the copies); absent: file records point where MLflow put them */
  copyArtifacts?: string
}

/** MLflow's RunStatus names and numbers as mldb's statuses. */
export const MLFLOW_STATUS: Record<string, string> = {
  '1': 'TRAINING',
  '2': 'PENDING',
  '3': 'COMPLETE',
  '4': 'FAILED',
  '5': 'KILLED',
  RUNNING: 'TRAINING',
  SCHEDULED: 'PENDING',
  FINISHED: 'COMPLETE',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
}

/**
 * The longest mldb name a run gets before its id is appended: MLflow's run names are ≤ 250
 * characters, and with `-<32 hex>` still fit mldb's 300 (NAME_LIMITS), so none is cut.
 */
const NAME_ROOM = 250

/** A run name as an mldb experiment name: control characters other than tabs become spaces; MLflow's own name stays in `mlflow.runName`. */
export function mldbRunName(runName: string, runId: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  const clean = runName.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ').trim()
  return (clean || runId).slice(0, NAME_ROOM)
}

/**
 * The files under a run's artifact folder as file pointers (the bytes stay
 * where MLflow put them); an artifact URI that is not a local folder has none.
 */
export function artifactFiles(artifactUri: string | null, base?: string): ImportedFile[] {
  if (!artifactUri) return []
  let dir: string
  if (artifactUri.startsWith('file:')) {
    try {
      dir = fileURLToPath(artifactUri.startsWith('file:///') ? artifactUri : `file://${artifactUri.slice(5)}`)
    } catch {
      return []
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(artifactUri)) return []
  else dir = base && !artifactUri.startsWith('/') ? join(base, artifactUri) : artifactUri
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  const out: ImportedFile[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) {
        // the real path and mtime as addFile records them, so a registration finds the file unchanged
        const s = statFile(p)
        const rel = relative(dir, p).split(sep).join('/')
        out.push({ path: s.path, kind: kindOf(rel), step: null, size: s.size, mtime: s.mtime, sha256: null, meta: { mlflowArtifact: rel }, createdAt: s.mtime })
      }
    }
  }
  walk(dir)
  return out
}

function kindOf(path: string): string {
  const lower = path.toLowerCase()
  if (/\.(png|jpe?g|gif|webp|svg)$/.test(lower)) return 'image'
  if (/(^|\/)mlmodel$/.test(lower) || /\.(pt|pth|pkl|onnx|safetensors|h5|ckpt|joblib)$/.test(lower)) return 'model'
  if (/\.(csv|json|parquet|npy|npz)$/.test(lower)) return 'data'
  return 'other'
}

/**
 * Writes a source in one transaction. A run whose MLflow run id is already in
 * the database is left alone, so importing the same source twice doubles
 * nothing and a second import brings only what is new; so are logged models
 * (by id) and registered versions (by model and number).
 *
 * @example writeMlflowSource(db, readMlflowDb('mlflow.db'))
 */
export function writeMlflowSource(db: Database, source: MlflowSource, options: MlflowImportOptions = {}): MlflowImportResult {
  const rows = new MlflowRows(db.sqlite)
  const result: MlflowImportResult = {
    imported: [],
    alreadyImported: 0,
    points: 0,
    loggedModels: 0,
    loggedModelsAlreadyImported: 0,
    registeredModels: 0,
    modelVersions: 0,
    modelVersionsAlreadyImported: 0,
    copiedFiles: 0,
    report: [],
  }
  const copyRoot = options.copyArtifacts
  db.sqlite
    .transaction(() => {
      const taken = nameTakenLookup(db.sqlite)
      const projectOf = new Map<string, { id: number; name: string }>()
      const projectNames = mlflowProjectNames(source.experiments, result.report)
      for (const e of source.experiments) {
        const name = projectNames.get(e.id) as string
        let p = rows.projectByName(name)
        if (!p) {
          rows.insertProject(name, e.createdAt ?? Date.now(), e.artifactLocation)
          p = rows.projectByName(name)
        }
        if (!p) continue
        projectOf.set(e.id, p)
        rows.setProjectFields(p.id, { artifactLocation: e.artifactLocation, deletedAt: e.deletedAt, updatedAt: e.updatedAt ?? e.createdAt })
        for (const [k, v] of Object.entries(e.tags)) {
          const problem = textProblem(k) ?? textProblem(v)
          if (problem) result.report.push(`experiment ${JSON.stringify(e.name)}: tag ${JSON.stringify(k)} left out: it ${problem}`)
          else rows.setProjectTag(p.id, k, v)
        }
      }
      const used = new Set<string>()
      const fresh = source.runs.filter((r) => {
        if (!rows.hasRunId(r.runId)) return true
        result.alreadyImported++
        return false
      })
      const freshById = new Map(fresh.map((r) => [r.runId, r]))
      // logged models: new ones only; their files join their source run's files
      const models = (source.loggedModels ?? []).filter((m) => {
        if (m.deleted) {
          result.report.push(`logged model ${m.modelId} ("${m.name}") left out: it is deleted in MLflow`)
          return false
        }
        if (!rows.loggedModel(m.modelId)) return true
        result.loggedModelsAlreadyImported++
        return false
      })
      for (const m of models) leaveOutBadModelText(m, result.report)
      const modelUri = new Map<string, string>()
      const laterFiles: { run: string; files: ImportedFile[] }[] = []
      for (const m of models) {
        const project = projectOf.get(m.experimentId)
        let files = loggedModelFiles(m)
        modelUri.set(m.modelId, m.artifactLocation)
        if (copyRoot && project && files.length) {
          const prefix = `${wireExperimentId(project)}/models/${m.modelId}/artifacts`
          files = copyArtifacts(files, copyRoot, prefix)
          result.copiedFiles += files.length
          modelUri.set(m.modelId, artifactUri(prefix))
        }
        const run = m.sourceRunId ? freshById.get(m.sourceRunId) : undefined
        if (run) run.bundle.files.push(...files)
        else if (m.sourceRunId && files.length) laterFiles.push({ run: m.sourceRunId, files })
      }
      for (const r of fresh) {
        leaveOutBadRunText(r, result.report)
        const base = mldbRunName(r.runName, r.runId)
        let name = base
        for (const candidate of [base, `${base}-${r.runId.slice(0, 8)}`, `${base}-${r.runId}`]) {
          name = candidate
          if (!used.has(name) && !taken(name)) break
        }
        used.add(name)
        r.bundle.name = name
        const project = projectOf.get(r.experimentId)
        r.bundle.project = project?.name ?? 'default'
        if (r.runName) r.bundle.tags['mlflow.runName'] = r.runName
        if (copyRoot && project) {
          // the run's own artifacts (its logged models' files were copied above)
          const own = r.bundle.files.filter((f) => f.meta?.mlflowLoggedModel === undefined)
          if (own.length) {
            const prefix = `${wireExperimentId(project)}/${r.runId}/artifacts`
            const copies = copyArtifacts(own, copyRoot, prefix)
            result.copiedFiles += copies.length
            r.bundle.files = [...copies, ...r.bundle.files.filter((f) => f.meta?.mlflowLoggedModel !== undefined)]
            r.artifactUri = artifactUri(prefix)
          }
        }
        checkBundle(r.bundle)
      }
      for (const r of fresh) {
        writeBundle(db, r.bundle)
        const id = rows.experimentId(r.bundle.name) as number
        rows.setRun(id, r.runId, r.artifactUri, r.userId)
        for (const i of r.inputs) rows.addInput(id, i.kind, i.body)
        if (r.deletedAt !== null) rows.setDeletedAt(id, r.deletedAt)
        result.imported.push(r.bundle.name)
        result.points += r.bundle.points.length
      }
      for (const m of models) {
        const project = projectOf.get(m.experimentId)
        if (!project) {
          result.report.push(`logged model ${m.modelId} ("${m.name}") left out: its experiment ${m.experimentId} is not in the source`)
          continue
        }
        putLoggedModel(db, m, project, modelUri.get(m.modelId) ?? m.artifactLocation)
        result.loggedModels++
      }
      // files of new logged models whose source run an earlier import brought
      for (const { run, files } of laterFiles) {
        const e = rows.experimentOfRun(run)
        const live = e && e.deleted_at === null ? e.name : undefined
        if (!live) continue
        const known = new Set(db.getFiles(live).map((f) => f.path))
        for (const f of files) if (!known.has(f.path)) db.addFile(live, f.path, { kind: 'model', hash: f.sha256 !== null, meta: f.meta ?? {} })
      }
      const reg = writeRegistry(db, source.registeredModels ?? [], source.modelVersions ?? [])
      result.registeredModels = reg.models
      result.modelVersions = reg.versions
      result.modelVersionsAlreadyImported = reg.alreadyImported
      result.report.push(...reg.report)
    })
    .immediate()
  return result
}
