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
import { checkBundle, type ExperimentBundle, type ImportedFile, writeBundle } from './import-bundle.js'

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

/** A whole MLflow source, read and ready to write. */
export interface MlflowSource {
  experiments: MlflowSourceExperiment[]
  runs: MlflowSourceRun[]
}

/** What an import did. */
export interface MlflowImportResult {
  /** mldb names of the runs written now */
  imported: string[]
  /** runs whose MLflow run id the database had already: left as they are */
  alreadyImported: number
  points: number
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
        const s = statSync(p)
        const rel = relative(dir, p).split(sep).join('/')
        out.push({
          path: p,
          kind: kindOf(rel),
          step: null,
          size: s.size,
          mtime: Math.round(s.mtimeMs),
          sha256: null,
          meta: { mlflowArtifact: rel },
          createdAt: Math.round(s.mtimeMs),
        })
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
 * nothing and a second import brings only what is new.
 *
 * @example writeMlflowSource(db, readMlflowDb('mlflow.db'))
 */
export function writeMlflowSource(db: Database, source: MlflowSource): MlflowImportResult {
  const rows = new MlflowRows(db.sqlite)
  const result: MlflowImportResult = { imported: [], alreadyImported: 0, points: 0 }
  db.sqlite
    .transaction(() => {
      const taken = nameTakenLookup(db.sqlite)
      const projectOf = new Map<string, string>()
      for (const e of source.experiments) {
        const name = e.name === 'Default' && e.id === '0' ? 'default' : e.name
        let p = rows.projectByName(name)
        if (!p) {
          rows.insertProject(name, e.createdAt ?? Date.now(), e.artifactLocation)
          p = rows.projectByName(name)
        }
        if (!p) continue
        projectOf.set(e.id, name)
        rows.setProjectFields(p.id, { artifactLocation: e.artifactLocation, deletedAt: e.deletedAt, updatedAt: e.updatedAt ?? e.createdAt })
        for (const [k, v] of Object.entries(e.tags)) rows.setProjectTag(p.id, k, v)
      }
      const used = new Set<string>()
      const fresh = source.runs.filter((r) => {
        if (!rows.hasRunId(r.runId)) return true
        result.alreadyImported++
        return false
      })
      for (const r of fresh) {
        const base = mldbRunName(r.runName, r.runId)
        let name = base
        for (const candidate of [base, `${base}-${r.runId.slice(0, 8)}`, `${base}-${r.runId}`]) {
          name = candidate
          if (!used.has(name) && !taken(name)) break
        }
        used.add(name)
        r.bundle.name = name
        r.bundle.project = projectOf.get(r.experimentId) ?? 'default'
        r.bundle.tags['mlflow.runName'] = r.runName
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
    })
    .immediate()
  return result
}
