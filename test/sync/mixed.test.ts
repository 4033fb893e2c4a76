// TypeScript and Python clients mixed: machines of either kind, and one file that
// a TypeScript and a Python process log into at once (their two senders share
// the file's lease and outbox): every value reaches the server once.
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, getJson, killAll, machine, onMachine, pythonWriterScript, serverPoints, startTeamServer, startWriter, writerScript } from './helpers.js'

const root = freshRoot()
beforeAll(() => {
  buildCli()
})
afterEach(killAll)
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('TypeScript and Python clients mixed', () => {
  it('sends every value once, through a server restart, from both clients and from one file shared by both', async () => {
    const server = await startTeamServer(root)
    const env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '60000' }
    const ts = writerScript(root)
    const py = pythonWriterScript(root)
    const shared = machine(root, 'shared')
    const writers = [
      startWriter(py, machine(root, 'py-only'), env, ['py-run', '4000', '10']),
      startWriter(ts, shared, env, ['shared-ts', '4000', '10']),
      startWriter(py, shared, env, ['shared-py', '4000', '10']),
    ]
    for (let i = 0; i < 400; i++) {
      if ((await getJson(server, '/api/experiments/py-run').catch(() => undefined))?.status === 200) break
      await new Promise((r) => setTimeout(r, 25))
    }
    await server.kill()
    await Promise.all(writers.map((w) => w.logged))
    await server.restart()
    const codes = await Promise.all(writers.map((w) => w.exited))
    expect(codes, writers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0])
    for (const name of ['py-run', 'shared-ts', 'shared-py']) {
      const pts = await serverPoints(server, name, 'acc')
      const got = new Set(pts.map((p) => p.step))
      const missing = Array.from({ length: 4000 }, (_, i) => i).filter((i) => !got.has(i))
      expect(missing, `${name}: steps missing on the server; writers said: ${writers.map((w) => w.stderr()).join(' | ')}`).toEqual([])
      expect(pts.length).toBe(4000)
      expect(new Set(pts.map((p) => p.step)).size).toBe(4000)
      expect(pts.filter((p) => p.value === 'NaN').length).toBe(Math.ceil(4000 / 97))
      const e = await getJson(server, `/api/experiments/${name}`)
      expect(e.json.status).toBe('COMPLETE')
      expect((e.json.params as Record<string, unknown>).name).toBe(name)
    }
    // The file both processes logged into keeps every value too (a second connection in one
    // process once stripped the other's SQLite locks, and a closing process deleted the -wal).
    using local = new Database({ path: shared.db })
    for (const name of ['shared-ts', 'shared-py']) expect(local.getMetricValues(name, 'acc')).toHaveLength(4000)
    for (const m of [shared, machine(root, 'py-only')]) {
      const pending = JSON.parse(onMachine(m, ['sync', '--pending', '--json'], env).stdout) as { points: number; writes: number }
      expect(pending).toMatchObject({ points: 0, writes: 0 })
    }
  })
})
