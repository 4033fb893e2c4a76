import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { ValidationError } from '../errors.js'
import { parseSeriesKey } from '../query/filter.js'
import { completeBundle, newBundle } from './import-bundle.js'
import { readFileLoggedModels, readFileRegistry } from './mlflow-import-file-models.js'
import { artifactFiles, MLFLOW_STATUS, type MlflowSource } from './mlflow-import-write.js'
import { readMeta } from './mlflow-meta.js'
import { parseNumberText } from './records.js'

/** Files under dir, recursively, as [key, path]; MLflow keeps "a/b" keys as nested folders. */
function keyFiles(dir: string): [string, string][] {
  if (!existsSync(dir)) return []
  const out: [string, string][] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (entry.isFile()) out.push([relative(dir, p).split(sep).join('/'), p])
    }
  }
  walk(dir)
  return out.sort((a, b) => a[0].localeCompare(b[0]))
}

const isMlflowExperiment = (dir: string) => existsSync(join(dir, 'meta.yaml')) && statSync(dir).isDirectory()

/** Whether a folder looks like an MLflow file store (`mlruns/`) or one experiment folder of it. */
export function isMlflowStore(dir: string): boolean {
  if (!statSync(dir).isDirectory()) return false
  if (isMlflowExperiment(dir)) return true
  return readdirSync(dir, { withFileTypes: true }).some((d) => d.isDirectory() && isMlflowExperiment(join(dir, d.name)))
}

/**
 * Reads an MLflow file store (`mlruns/`, or one experiment folder of it) whole:
 * each MLflow experiment becomes a project (deleted ones, under `.trash/`, as
 * deleted), each run an experiment with MLflow's run id, params as MLflow's
 * text, tags, every metric value with its step and timestamp (keys such as
 * `valid/loss` become the series `loss` of split `valid`), deleted runs into
 * the trash, and local artifacts as file pointers.
 *
 * @example writeMlflowSource(db, readMlflowStore('mlruns'))
 */
export function readMlflowStore(dir: string): MlflowSource {
  const listExps = (root: string) =>
    readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'models' && isMlflowExperiment(join(root, d.name)))
      .map((d) => join(root, d.name))
  const trash = join(dir, '.trash')
  const expDirs = isMlflowExperiment(dir) ? [dir] : [...listExps(dir), ...(existsSync(trash) ? listExps(trash) : [])].sort()
  // MLflow 3's file store keeps its registry beside the experiments, in models/
  const source: MlflowSource = { experiments: [], runs: [], loggedModels: [], ...(isMlflowExperiment(dir) ? {} : readFileRegistry(dir)) }
  for (const expDir of expDirs) {
    const expMeta = readMeta(join(expDir, 'meta.yaml'))
    const expId = String(expMeta.experiment_id ?? expDir.split(sep).pop())
    const num = (v: unknown) => (typeof v === 'number' ? v : null)
    const updated = num(expMeta.last_update_time)
    const expDeleted = expMeta.lifecycle_stage === 'deleted' ? (updated ?? Date.now()) : null
    source.experiments.push({
      id: expId,
      name: String(expMeta.name ?? expId),
      artifactLocation: typeof expMeta.artifact_location === 'string' ? expMeta.artifact_location : null,
      deletedAt: expDeleted,
      createdAt: num(expMeta.creation_time),
      updatedAt: updated,
      tags: Object.fromEntries(keyFiles(join(expDir, 'tags')).map(([k, p]) => [k, readFileSync(p, 'utf8')])),
    })
    source.loggedModels?.push(...readFileLoggedModels(expDir, expId))
    const runDirs = readdirSync(expDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(expDir, d.name, 'meta.yaml')))
      .map((d) => join(expDir, d.name))
      .sort()
    for (const runDir of runDirs) {
      const meta = readMeta(join(runDir, 'meta.yaml'))
      const runId = String(meta.run_id ?? meta.run_uuid ?? runDir.split(sep).pop())
      const tags = Object.fromEntries(keyFiles(join(runDir, 'tags')).map(([k, p]) => [k, readFileSync(p, 'utf8')]))
      const runName = String(meta.run_name || tags['mlflow.runName'] || runId)
      const b = newBundle(runId, 'default')
      b.tags = tags
      b.notes = tags['mlflow.note.content'] ?? ''
      // MLflow params are text: kept byte for byte, as a JSON string
      for (const [k, p] of keyFiles(join(runDir, 'params'))) b.params[k] = readFileSync(p, 'utf8')
      for (const [key, p] of keyFiles(join(runDir, 'metrics'))) {
        const { name: series, split } = parseSeriesKey(key)
        let lineNo = 0
        for (const line of readFileSync(p, 'utf8').split('\n')) {
          lineNo++
          if (line.trim() === '') continue
          const [ts, val, st] = line.trim().split(/\s+/)
          const time = Number(ts)
          const value = parseNumberText(val ?? '')
          const step = st === undefined ? 0 : Number(st)
          if (!Number.isFinite(time) || value === undefined || !Number.isSafeInteger(step)) {
            throw new ValidationError(`${p} line ${lineNo}: expected "timestamp value step", got "${line.trim()}"`, 'file')
          }
          b.points.push({ name: series, split, step, time, value })
        }
      }
      const status = MLFLOW_STATUS[String(meta.status)] ?? 'COMPLETE'
      const start = num(meta.start_time)
      const end = num(meta.end_time)
      b.status = status
      b.startedAt = start
      b.endedAt = status === 'TRAINING' || status === 'PENDING' ? null : end
      b.createdAt = start ?? Number.NaN
      const lastTime = b.points.reduce((m, x) => Math.max(m, x.time ?? 0), start ?? 0)
      b.updatedAt = Math.max(end ?? 0, lastTime) || Number.NaN
      b.heartbeatAt = b.updatedAt
      if (start !== null) b.history.push({ status: status === 'PENDING' ? 'PENDING' : 'TRAINING', time: start })
      if (end !== null && b.endedAt !== null && status !== 'TRAINING') b.history.push({ status, time: end })
      const artifactUri = typeof meta.artifact_uri === 'string' ? meta.artifact_uri : null
      b.files = artifactFiles(artifactUri)
      const runDeleted = meta.lifecycle_stage === 'deleted' ? (num(meta.deleted_time) ?? end ?? Date.now()) : expDeleted
      source.runs.push({
        runId,
        experimentId: expId,
        runName,
        bundle: completeBundle(b),
        artifactUri,
        userId: typeof meta.user_id === 'string' ? meta.user_id : null,
        deletedAt: runDeleted,
        inputs: runInputs(expDir, runDir),
      })
    }
  }
  return source
}

/**
 * A run's dataset inputs (`inputs/<id>/meta.yaml` pointing into the experiment's
 * `datasets/`), as MLflow's DatasetInput JSON, and the logged models it produced
 * (`outputs/<model id>/meta.yaml`), as its LoggedModelOutput.
 */
function runInputs(expDir: string, runDir: string): { kind: string; body: string }[] {
  const out: { kind: string; body: string }[] = []
  const outputs = join(runDir, 'outputs')
  if (existsSync(outputs)) {
    for (const e of readdirSync(outputs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const metaFile = join(outputs, e.name, 'meta.yaml')
      if (!e.isDirectory() || !existsSync(metaFile)) continue
      const m = readMeta(metaFile)
      const step = typeof m.step === 'number' ? m.step : 0
      out.push({ kind: 'model_output', body: JSON.stringify({ model_id: String(m.source_id ?? e.name), step }) })
    }
  }
  const dir = join(runDir, 'inputs')
  if (!existsSync(dir)) return out
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const metaFile = join(dir, e.name, 'meta.yaml')
    if (!e.isDirectory() || !existsSync(metaFile)) continue
    const m = readMeta(metaFile)
    if (m.source_type !== 'DATASET') continue
    const dsFile = join(expDir, 'datasets', String(m.source_id), 'meta.yaml')
    if (!existsSync(dsFile)) continue
    const d = readMeta(dsFile)
    const tags =
      typeof m.tags === 'object' && m.tags !== null
        ? Object.entries(m.tags as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) }))
        : []
    const dataset = Object.fromEntries(
      ['name', 'digest', 'source_type', 'source', 'schema', 'profile'].filter((k) => typeof d[k] === 'string').map((k) => [k, d[k]]),
    )
    out.push({ kind: 'dataset', body: JSON.stringify({ dataset, tags }) })
  }
  return out
}
