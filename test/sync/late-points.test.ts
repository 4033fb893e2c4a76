// A point logged at a step at or below what the sender already sent (an earlier epoch
// evaluated again, a second process logging into the same series) reaches the server
// once, from either client, like every other point.
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, killAll, machine, onMachine, ROOT, serverPoints, startTeamServer, type TeamServer } from './helpers.js'

const root = freshRoot()
let server: TeamServer
let env: Record<string, string>
beforeAll(async () => {
  buildCli()
  server = await startTeamServer(root)
  env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '30000' }
})
afterAll(() => {
  killAll()
  rmSync(root, { recursive: true, force: true })
})

/** Logs [step, value] pairs one call each into series `loss` of `name`, then closes (which waits for the sender). */
function log(lang: 'ts' | 'py', home: string, name: string, points: [number, number][]): void {
  const file = join(root, `log-${lang}.${lang === 'ts' ? 'mjs' : 'py'}`)
  const index = join(dirname(dirname(buildCli())), 'index.js')
  writeFileSync(
    file,
    lang === 'ts'
      ? `import { Database } from ${JSON.stringify(index)}
const [name, json] = process.argv.slice(2)
const db = new Database()
for (const [step, value] of JSON.parse(json)) db.addMetricValue(name, 'loss', step, value)
db.close()
`
      : `import json, sys
import mldb
db = mldb.Database()
for step, value in json.loads(sys.argv[2]):
    db.add_metric_value(sys.argv[1], 'loss', step, value)
db.close()
`,
  )
  const r = spawnSync(lang === 'ts' ? process.execPath : 'python3', [file, name, JSON.stringify(points)], {
    env: { PATH: process.env.PATH ?? '', HOME: home, ...(lang === 'py' ? { PYTHONPATH: join(ROOT, 'python') } : {}), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(r.status, r.stderr).toBe(0)
  expect(r.stderr).toBe('')
}

const range = (from: number, to: number): [number, number][] => Array.from({ length: to - from }, (_, i) => [from + i, from + i])
const sorted = (pts: { step: number; value: number | string }[]) => pts.map((p) => `${p.step}:${p.value}`).sort()

describe('points logged behind what was sent', () => {
  it.each([
    ['ts', 'ts'],
    ['py', 'py'],
    ['ts', 'py'],
  ] as const)('reach the server once (first %s, then %s)', async (first, second) => {
    const m = machine(root, `m-${first}-${second}`)
    const name = `late-${first}-${second}`
    log(first, m.home, name, range(0, 100))
    expect((await serverPoints(server, name, 'loss')).length).toBe(100)
    // epochs 10 and 50 evaluated again, a second value at the last step sent, then training goes on
    log(second, m.home, name, [[10, 1000], [50, 1000], [99, 2000], ...range(100, 110), [5, 3000]])
    using local = new Database({ path: m.db })
    const here = local.getMetricValues(name, 'loss')
    expect(here).toHaveLength(114)
    const there = await serverPoints(server, name, 'loss')
    expect(sorted(there)).toEqual(sorted(here))
    const pending = JSON.parse(onMachine(m, ['sync', '--pending', '--json'], env).stdout) as { points: number; writes: number }
    expect(pending).toMatchObject({ points: 0, writes: 0 })
    // and nothing is sent twice by a later sync
    expect(onMachine(m, ['sync'], env).status).toBe(0)
    expect((await serverPoints(server, name, 'loss')).length).toBe(114)
  })
})

describe('negative steps (MLflow logs step -1 before training)', () => {
  it.each(['ts', 'py'] as const)('reach the server from %s, also when logged behind what was sent', async (lang) => {
    const m = machine(root, `neg-${lang}`)
    const name = `neg-${lang}`
    log(lang, m.home, name, [
      [-5, -5],
      [3, 3],
      [-1, -1],
      [0, 0],
    ])
    expect((await serverPoints(server, name, 'loss')).map((p) => p.step)).toEqual([-5, -1, 0, 3])
    // after the first sync, a step below every one sent (the late path), then more training
    log(lang, m.home, name, [
      [-9, -9],
      [4, 4],
    ])
    const there = await serverPoints(server, name, 'loss')
    expect(there.map((p) => `${p.step}:${p.value}`)).toEqual(['-9:-9', '-5:-5', '-1:-1', '0:0', '3:3', '4:4'])
    const pending = JSON.parse(onMachine(m, ['sync', '--pending', '--json'], env).stdout) as { points: number; writes: number }
    expect(pending).toMatchObject({ points: 0, writes: 0 })
  })
})
