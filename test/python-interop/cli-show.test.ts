import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { tempDir } from '../helpers/tmp.js'
import { opsJson, PARAMS, sampleOps } from './lib/ops.js'
import { camelSeries, type PyDump, type PySeries, pythonJson, REPO_ROOT } from './lib/python.js'

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')
const tmp = tempDir('mldb-py-cli-')
afterAll(() => tmp.cleanup())

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` in a fresh clone builds here.
  if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' })
})

interface ShowJson {
  name: string
  project: string
  status: string
  params: Record<string, unknown>
  tags: Record<string, string>
  notes: string
  statusHistory: { status: string }[]
  series: Record<string, ReturnType<typeof camelSeries>>
  files: { path: string; kind: string; step: number | null; size: number; mtime: number; sha256: string | null; meta: unknown; problem: string | null }[]
}

describe('mldb show --json reads what Python wrote', () => {
  it('shows the same status, params, tags, notes, series summaries (NaN/±Infinity included) and files', () => {
    const path = join(tmp.dir, 'py.db')
    const model = join(tmp.dir, 'model.bin')
    writeFileSync(model, 'weights'.repeat(100))
    const py = pythonJson<PyDump>(['replay', path, 'exp'], opsJson(sampleOps(model)))

    const res = spawnSync(process.execPath, [MAIN, 'show', 'exp', '--json', '--db', path], { encoding: 'utf8', timeout: 60_000 })
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    const shown = parseJsonNumbers(res.stdout) as ShowJson

    expect(shown).toMatchObject({ name: 'exp', project: 'interop', status: 'COMPLETE', params: PARAMS, notes: 'two\nlines' })
    expect(shown.params).toEqual(py.params)
    expect(shown.tags).toEqual(py.tags)
    expect(shown.statusHistory.map((h) => h.status)).toEqual(py.history)
    const pySeries = Object.fromEntries(Object.entries(py.experiment.series).map(([k, s]) => [k, camelSeries(s as PySeries)]))
    // `mldb show` adds the direction each series is optimised in (docs/series-directions.json)
    const { directions, summaries } = splitDirections(shown.series)
    expect(summaries).toEqual(pySeries)
    expect(directions).toMatchObject({ rmse: 'min', 'train/loss': 'min', 'valid/acc': 'max' })
    expect(Object.values(directions).every((d) => d === 'min' || d === 'max')).toBe(true)
    expect(shown.series['train/loss']).toMatchObject({ min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, nanCount: 12 })
    expect(Number.isNaN(shown.series['valid/acc']?.min)).toBe(false)
    expect(shown.files.map(({ path, kind, step, size, mtime, sha256, meta, problem }) => ({ path, kind, step, size, mtime, sha256, meta, problem }))).toEqual(
      py.files.map(({ path, kind, step, size, mtime, sha256, meta }) => ({ path, kind, step, size, mtime, sha256, meta, problem: null })),
    )
  })
})

function splitDirections(series: Record<string, object>): { directions: Record<string, unknown>; summaries: Record<string, object> } {
  const directions: Record<string, unknown> = {}
  const summaries: Record<string, object> = {}
  for (const [k, v] of Object.entries(series)) {
    const { direction, ...rest } = v as { direction?: unknown }
    directions[k] = direction
    summaries[k] = rest
  }
  return { directions, summaries }
}
