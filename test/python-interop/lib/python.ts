import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseJsonNumbers } from '../../../src/json.js'

/** The repository root: `python/` (the package) and `migrations/` hang off it. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The Python side of these tests. */
export const INTEROP_PY = join(REPO_ROOT, 'test', 'python-interop', 'py', 'interop.py')

/** The environment for a child Python that imports the checkout's `python/mldb`. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: join(REPO_ROOT, 'python') }
  // The child must never fall back to the user's database.
  delete env.MLDB_DB_PATH
  return env
}

/** Runs `python3 interop.py ...args` with `input` on stdin; throws with its stderr when it fails. */
export function runPython(args: string[], input = ''): SpawnSyncReturns<string> {
  const res = spawnSync('python3', [INTEROP_PY, ...args], { env: pythonEnv(), input, encoding: 'utf8', timeout: 120_000 })
  if (res.status !== 0) throw new Error(`python3 interop.py ${args[0]} exited ${res.status ?? res.signal}: ${res.stderr}`)
  return res
}

/** Runs the interop script and parses its JSON output (NaN/±Infinity strings under value keys become numbers). */
export function pythonJson<T>(args: string[], input = ''): T {
  return parseJsonNumbers(runPython(args, input).stdout) as T
}

/** A series summary as Python's `get_series` returns it. */
export interface PySeries {
  name: string
  split: string
  key: string
  count: number
  first_step: number | null
  last_step: number | null
  last_time: number | null
  last: number
  min: number
  max: number
  nan_count: number
}

/** What `interop.py dump` prints about one experiment. */
export interface PyDump {
  status: string
  history: string[]
  series: PySeries[]
  values: Record<string, { step: number; time: number; value: number }[]>
  params: Record<string, unknown>
  tags: Record<string, string>
  notes: string
  files: {
    id: number
    experiment: string
    path: string
    kind: string
    step: number | null
    size: number
    mtime: number
    sha256: string | null
    meta: unknown
    created_at: number
  }[]
  experiment: Record<string, unknown> & { series: Record<string, PySeries> }
}

/** Python's series summary in the TypeScript API's shape. */
export function camelSeries(s: PySeries) {
  return {
    name: s.name,
    split: s.split,
    key: s.key,
    count: s.count,
    firstStep: s.first_step,
    lastStep: s.last_step,
    lastTime: s.last_time,
    last: s.last,
    min: s.min,
    max: s.max,
    nanCount: s.nan_count,
  }
}
