import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ValidationError } from '../errors.js'
import { parseSeriesKey } from '../query/filter.js'
import type { Json } from '../store/types.js'
import { completeBundle, type ExperimentBundle, newBundle } from './import-bundle.js'
import { parseNumberText } from './records.js'

/** MLflow's RunStatus numbers (mlflow/protos/service.proto) and names, as our statuses. */
const STATUS: Record<string, string> = {
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

type Meta = Record<string, unknown>

function readMeta(file: string): Meta {
  try {
    const m = parseYaml(readFileSync(file, 'utf8')) as unknown
    if (typeof m !== 'object' || m === null) throw new Error('not a mapping')
    return m as Meta
  } catch (e) {
    throw new ValidationError(`${file} is not a readable MLflow meta.yaml (${(e as Error).message})`, 'file')
  }
}

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

/** What reading an MLflow store found. */
export interface MlflowReadResult {
  bundles: ExperimentBundle[]
  /** runs left out because MLflow had them deleted */
  skippedDeleted: number
}

/**
 * Reads an MLflow file store: each MLflow experiment becomes a project, each
 * run an experiment named by its run_name (with the run id appended when the
 * name is taken, per `taken`). Metrics keep their steps and timestamps; keys
 * such as `valid/loss` become the series `loss` of split `valid`. Params are
 * JSON when they parse (so `params.lr < 0.1` works), tags stay strings, and
 * the tag `mlflow.note.content` becomes the notes.
 */
export function readMlflowStore(dir: string, taken: (name: string) => boolean): MlflowReadResult {
  const expDirs = isMlflowExperiment(dir)
    ? [dir]
    : readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'models' && isMlflowExperiment(join(dir, d.name)))
        .map((d) => join(dir, d.name))
        .sort()
  const bundles: ExperimentBundle[] = []
  const used = new Set<string>()
  let skippedDeleted = 0
  for (const expDir of expDirs) {
    const expMeta = readMeta(join(expDir, 'meta.yaml'))
    if (expMeta.lifecycle_stage === 'deleted') continue
    const project = String(expMeta.name ?? expMeta.experiment_id ?? 'mlflow')
    const runDirs = readdirSync(expDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(expDir, d.name, 'meta.yaml')))
      .map((d) => join(expDir, d.name))
      .sort()
    for (const runDir of runDirs) {
      const meta = readMeta(join(runDir, 'meta.yaml'))
      if (meta.lifecycle_stage === 'deleted') {
        skippedDeleted++
        continue
      }
      const runId = String(meta.run_id ?? meta.run_uuid ?? runDir.split(sep).pop())
      const tags = Object.fromEntries(keyFiles(join(runDir, 'tags')).map(([k, p]) => [k, readFileSync(p, 'utf8')]))
      let name = String(meta.run_name || tags['mlflow.runName'] || runId)
      for (const candidate of [name, `${name}-${runId.slice(0, 8)}`, `${name}-${runId}`]) {
        name = candidate
        if (!used.has(name) && !taken(name)) break
      }
      used.add(name)
      const b = newBundle(name, project)
      b.tags = tags
      b.notes = tags['mlflow.note.content'] ?? ''
      for (const [k, p] of keyFiles(join(runDir, 'params'))) b.params[k] = parseParam(readFileSync(p, 'utf8'))
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
          if (!Number.isFinite(time) || value === undefined || !Number.isSafeInteger(step) || step < 0) {
            throw new ValidationError(`${p} line ${lineNo}: expected "timestamp value step", got "${line.trim()}"`, 'file')
          }
          b.points.push({ name: series, split, step, time, value })
        }
      }
      const status = STATUS[String(meta.status)] ?? 'COMPLETE'
      const start = typeof meta.start_time === 'number' ? meta.start_time : null
      const end = typeof meta.end_time === 'number' ? meta.end_time : null
      b.status = status
      b.startedAt = start
      b.endedAt = status === 'TRAINING' || status === 'PENDING' ? null : end
      b.createdAt = start ?? Number.NaN
      const lastTime = b.points.reduce((m, x) => Math.max(m, x.time ?? 0), start ?? 0)
      b.updatedAt = Math.max(end ?? 0, lastTime) || Number.NaN
      b.heartbeatAt = b.updatedAt
      if (start !== null) b.history.push({ status: status === 'PENDING' ? 'PENDING' : 'TRAINING', time: start })
      if (end !== null && b.endedAt !== null && status !== 'TRAINING') b.history.push({ status, time: end })
      bundles.push(completeBundle(b))
    }
  }
  return { bundles, skippedDeleted }
}

/** MLflow params are strings; "0.01" becomes 0.01 so filters compare numbers. */
function parseParam(text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return text
  }
}
