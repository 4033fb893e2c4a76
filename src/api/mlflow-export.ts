/**
 * `mldb export --format mlflow DIR`: writes MLflow's file store layout
 * (`DIR/<experiment id>/<run id>/{meta.yaml,metrics,params,tags,artifacts}`),
 * which MLflow's client reads with `MLFLOW_ALLOW_FILE_STORE=true` and
 * `mlflow.tracking` migrations can move to any of its databases. Leaving mldb
 * is as easy as arriving.
 */
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { stringify } from 'yaml'
import { ValidationError } from '../errors.js'
import { MlflowRows, syntheticRunId } from '../store/mlflow-rows.js'
import type { Json } from '../store/types.js'
import type { Database } from './database.js'

/** mldb statuses as MLflow's RunStatus numbers (RUNNING 1, SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5). */
const STATUS_NUMBER: Record<string, number> = { TRAINING: 1, VALIDATING: 1, LOST: 1, PENDING: 2, COMPLETE: 3, FAILED: 4, KILLED: 5, PRUNED: 5 }

/** What an export wrote. */
export interface MlflowExportResult {
  experiments: number
  runs: number
  points: number
  artifacts: number
}

/** A number as MLflow's file store writes it (Python's float repr for the non-finite ones). */
function metricText(v: number): string {
  if (Number.isNaN(v)) return 'nan'
  if (v === Number.POSITIVE_INFINITY) return 'inf'
  if (v === Number.NEGATIVE_INFINITY) return '-inf'
  return String(v)
}

/** The file of key `a/b` under folder (MLflow keeps `/` in keys as folders); a key that would leave the folder is refused. */
function keyFile(folder: string, key: string): string {
  const parts = key.split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new ValidationError(`the key "${key}" cannot be a file name in MLflow's file store`, 'key')
  const full = resolve(folder, ...parts)
  if (!full.startsWith(resolve(folder) + sep)) throw new ValidationError(`the key "${key}" leaves ${folder}`, 'key')
  return full
}

function writeKey(folder: string, key: string, text: string): void {
  const file = keyFile(folder, key)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * Writes the experiments that match into `dir` as an MLflow file store: one
 * MLflow experiment per project, one run per experiment with its MLflow run
 * id (kept from MLflow, or made from its row id), params as text, tags, every
 * point, and the bytes of recorded files that still exist as artifacts.
 *
 * @example exportMlflow(db, 'mlruns', { project: 'iris' })
 */
export function exportMlflow(db: Database, dir: string, options: { where?: string | undefined; project?: string | undefined } = {}): MlflowExportResult {
  const rows = new MlflowRows(db.sqlite)
  const root = resolve(dir)
  mkdirSync(root, { recursive: true })
  const result: MlflowExportResult = { experiments: 0, runs: 0, points: 0, artifacts: 0 }
  const exps = db.listExperiments({ where: options.where, project: options.project })
  const projects = new Map(rows.projects().map((p) => [p.name, p]))
  const written = new Set<string>()
  for (const e of exps) {
    const p = projects.get(e.project)
    const expId = e.project === 'default' || !p ? '0' : String(p.id)
    const expDir = join(root, expId)
    if (!written.has(expId)) {
      written.add(expId)
      result.experiments++
      mkdirSync(expDir, { recursive: true })
      writeFileSync(
        join(expDir, 'meta.yaml'),
        stringify({
          artifact_location: pathToFileURL(expDir).href,
          creation_time: p?.created_at ?? e.createdAt,
          experiment_id: expId,
          last_update_time: p?.updated_at ?? p?.created_at ?? e.createdAt,
          lifecycle_stage: 'active',
          name: e.project === 'default' ? 'Default' : e.project,
        }),
      )
      if (p) for (const [k, v] of Object.entries(rows.projectTags(p.id))) writeKey(join(expDir, 'tags'), k, v)
    }
    const m = rows.run(e.id)
    const runId = m?.run_id ?? syntheticRunId(e.id)
    const runDir = join(expDir, runId)
    const artifacts = join(runDir, 'artifacts')
    // MLflow's file store only finds a run whose folder has all three
    for (const sub of [artifacts, join(runDir, 'metrics'), join(runDir, 'params')]) mkdirSync(sub, { recursive: true })
    const tags: Record<string, string> = { ...e.tags }
    const runName = tags['mlflow.runName'] ?? e.name
    tags['mlflow.runName'] = runName
    if (e.notes && tags['mlflow.note.content'] === undefined) tags['mlflow.note.content'] = e.notes
    writeFileSync(
      join(runDir, 'meta.yaml'),
      stringify({
        artifact_uri: pathToFileURL(artifacts).href,
        end_time: e.endedAt,
        entry_point_name: '',
        experiment_id: expId,
        lifecycle_stage: 'active',
        run_id: runId,
        run_name: runName,
        run_uuid: runId,
        source_name: '',
        source_type: 4,
        source_version: '',
        start_time: e.startedAt ?? e.createdAt,
        status: STATUS_NUMBER[e.status] ?? 3,
        tags: [],
        user_id: m?.user_id ?? tags['mlflow.user'] ?? '',
      }),
    )
    for (const [k, v] of Object.entries(db.getParams(e.name))) writeKey(join(runDir, 'params'), k, paramText(v))
    for (const [k, v] of Object.entries(tags)) writeKey(join(runDir, 'tags'), k, v)
    for (const s of Object.values(e.series)) {
      const points = db.getMetricValues(e.name, s.name, { split: s.split })
      writeKey(join(runDir, 'metrics'), s.key, points.map((x) => `${x.time} ${metricText(x.value)} ${x.step}\n`).join(''))
      result.points += points.length
    }
    for (const f of db.getFiles(e.name)) {
      if (!existsSync(f.path) || !statSync(f.path).isFile()) continue
      const rel = typeof f.meta?.mlflowArtifact === 'string' ? f.meta.mlflowArtifact : `files/${f.path.split(/[\\/]/).pop()}`
      const target = keyFile(artifacts, rel)
      mkdirSync(dirname(target), { recursive: true })
      copyFileSync(f.path, target)
      result.artifacts++
    }
    result.runs++
  }
  return result
}

const paramText = (v: Json) => (typeof v === 'string' ? v : JSON.stringify(v))
