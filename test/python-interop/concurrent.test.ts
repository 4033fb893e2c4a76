import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { type Child, killAll, spawnChild } from './lib/children.js'
import { INTEROP_PY, pythonEnv, REPO_ROOT } from './lib/python.js'

const PER_CLIENT = 3
const N = 300

const tmp = tempDir('mldb-py-concurrent-')
const children: Child[] = []
afterAll(() => {
  killAll(children)
  tmp.cleanup()
})

describe('Python and TypeScript processes logging into one new file at once', () => {
  it('keeps every point of every process, with no error', async () => {
    const path = join(tmp.dir, 'both.db')
    const tsWriter = join(REPO_ROOT, 'test', 'python-interop', 'children', 'ts-writer.ts')
    // Interleave the two kinds so the writer index i is shared: Python takes even, TypeScript odd.
    for (let k = 0; k < PER_CLIENT; k++) {
      children.push(spawnChild('python3', [INTEROP_PY, 'writer', path, String(2 * k), String(N)], pythonEnv(), REPO_ROOT))
      children.push(spawnChild(process.execPath, ['--import', 'tsx', tsWriter, path, String(2 * k + 1), String(N)], process.env, REPO_ROOT))
    }
    // Release them together once all have started, so they open the brand-new file at once.
    await Promise.all(children.map((c) => c.waitForLine('ready')))
    for (const c of children) c.proc.stdin.end('go\n')
    const codes = await Promise.all(children.map((c) => c.exited))
    expect(children.map((c, i) => ({ i, code: codes[i], stderr: c.stderr(), done: c.lines.includes('done') }))).toEqual(
      children.map((_, i) => ({ i, code: 0, stderr: '', done: true })),
    )

    using db = new Database({ path })
    const writers = 2 * PER_CLIENT
    const common = db.getMetricValues('shared', 'common')
    expect(common.map((p) => [p.step, p.value])).toEqual(Array.from({ length: writers * N }, (_, s) => [s, Math.floor(s / N) + (s % N) / 1000]))
    const [summary] = db.getSeries('shared')
    expect(summary).toMatchObject({ count: writers * N, firstStep: 0, lastStep: writers * N - 1, nanCount: 0, min: 0 })
    // Blocks plus the unblocked tail account for every point, whichever client closed them.
    const blocks = db.query<{ n: number; bu: number; un: number }>(
      `SELECT (SELECT sum(count) FROM point_blocks WHERE series_id = s.id) AS n, s.blocked_until AS bu, s.unblocked AS un
       FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE e.name = 'shared'`,
    )[0]
    expect(blocks && blocks.n + blocks.un).toBe(writers * N)
    for (let i = 0; i < writers; i++) {
      const exp = `${i % 2 === 0 ? 'py' : 'ts'}-${i}`
      expect(db.getExpStatus(exp)).toBe('COMPLETE')
      expect(db.getLossValues(exp, 'train').map((p) => [p.step, p.value])).toEqual(Array.from({ length: N }, (_, s) => [s, s / 2]))
    }
    expect(db.query<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
  })
})
