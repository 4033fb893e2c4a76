// Machines logging through a team server that is killed mid-run and restarted:
// counts, not timings — every value reaches the server once.
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshPgUrl } from '../team-server/backends.js'
import { freshRoot, getJson, killAll, machine, onMachine, serverPoints, startTeamServer, startWriter, writerScript } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterEach(killAll)
afterAll(() => rmSync(root, { recursive: true, force: true }))

const N = 6000

async function expectExactlyOnce(server: Awaited<ReturnType<typeof startTeamServer>>, name: string, n: number): Promise<void> {
  const pts = await serverPoints(server, name, 'acc')
  const steps = pts.map((p) => p.step)
  expect(steps.length).toBe(n)
  expect(new Set(steps).size).toBe(n)
  expect(Math.max(...steps)).toBe(n - 1)
  // NaN survives the trip (the writer logs NaN at every 97th step)
  expect(pts.filter((p) => p.value === 'NaN').length).toBe(Math.ceil(n / 97))
}

describe.each([
  ['a SQLite file', () => `${root}/server/outage.db`],
  ['PostgreSQL', () => freshPgUrl()],
])('sync through a server outage, the server on %s', (_backend, serverDb) => {
  it('loses and duplicates nothing when the server is killed mid-run and restarted', async () => {
    const server = await startTeamServer(root, serverDb())
    const script = writerScript(root)
    const env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '60000' }
    const machines = ['a', 'b', 'c'].map((m) => machine(root, `${m}-${serverDb.name}-${Math.random().toString(36).slice(2, 6)}`))
    const writers = machines.map((m, i) => startWriter(script, m, env, [`run-${i}`, String(N), '10']))
    // Kill the server once it has taken some of the first machine's points.
    for (let i = 0; i < 400; i++) {
      const r = await getJson(server, '/api/experiments/run-0').catch(() => undefined)
      if (r?.status === 200) break
      await new Promise((r) => setTimeout(r, 25))
    }
    await server.kill()
    await Promise.all(writers.map((w) => w.logged))
    await server.restart()
    const codes = await Promise.all(writers.map((w) => w.exited))
    expect(writers.some((w) => /cannot reach/.test(w.stderr()))).toBe(true)
    expect(codes).toEqual([0, 0, 0])
    for (const [i, w] of writers.entries()) {
      await expectExactlyOnce(server, `run-${i}`, N)
      // one warning for the outage, not one per call
      expect(w.stderr().match(/cannot reach/g)?.length ?? 0).toBeLessThanOrEqual(1)
      expect(w.stderr()).not.toMatch(/not yet on/)
    }
    const e = await getJson(server, '/api/experiments/run-1')
    expect(e.json.status).toBe('COMPLETE')
    expect((e.json.params as Record<string, unknown>).lr).toBe(0.01)
    const pending = onMachine(machines[0] as { home: string }, ['sync', '--pending', '--json'], { MLDB_SERVER: server.url, MLDB_TOKEN: server.token })
    expect(pending.status).toBe(0)
    expect(JSON.parse(pending.stdout)).toMatchObject({ points: 0, writes: 0 })
  })
})

describe('sync after a client is killed', () => {
  it('after a SIGKILL of the client mid-sync, `mldb sync` sends the rest exactly once', async () => {
    const server = await startTeamServer(root, `${root}/server/kill.db`)
    const script = writerScript(root)
    const m = machine(root, 'killed')
    const env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token }
    const w = startWriter(script, m, env, ['killed-run', '20000', '0', 'hold'])
    await w.logged
    w.child.kill('SIGKILL')
    await w.exited
    const r = onMachine(m, ['sync'], env)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/nothing is left to send/)
    await expectExactlyOnce(server, 'killed-run', 20000)
    // a second run finds nothing to send
    const again = onMachine(m, ['sync', '--json'], env)
    expect(JSON.parse(again.stdout)).toMatchObject({ sentPoints: 0, points: 0, writes: 0 })
  })
})
