// A server that answers 500, one that hangs, a token revoked mid-run, and two
// machines that pick the same experiment name: training never stalls, nothing is
// lost, the user is told once, and `mldb sync` finishes the job.
import { rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, getJson, killAll, machine, onMachine, serverPoints, startTeamServer, startWriter, writerScript } from './helpers.js'

const root = freshRoot()
const fakes: Server[] = []
beforeAll(() => {
  buildCli()
})
afterEach(() => {
  killAll()
  for (const f of fakes.splice(0)) {
    f.closeAllConnections()
    f.close()
  }
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** An HTTP server that answers every request with `status`, or never answers (`hang`). */
async function fakeServer(mode: 500 | 'hang'): Promise<{ url: string; requests: () => number }> {
  let n = 0
  const s = createServer((req, res) => {
    n++
    req.resume()
    if (mode === 'hang') return
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}')
  })
  fakes.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`, requests: () => n }
}

describe.each([[500 as const], ['hang' as const]])('a server that answers %s', (mode) => {
  it('leaves the data in the local file, says so in one line, and `mldb sync` sends it later exactly once', async () => {
    const fake = await fakeServer(mode)
    const m = machine(root, `fault-${mode}`)
    const w = startWriter(writerScript(root), m, { MLDB_SERVER: fake.url, MLDB_TOKEN: 'x', MLDB_SYNC_WAIT_MS: '1500' }, [`f-${mode}`, '3000'])
    expect(await w.exited).toBe(0)
    expect(w.stdout()).toMatch(/closed/)
    expect(fake.requests()).toBeGreaterThan(0)
    const lines = w.stderr().trim().split('\n')
    // at most one warning about the server, then the one line of what is left and how to send it
    expect(lines.filter((l) => /cannot reach/.test(l)).length).toBeLessThanOrEqual(1)
    const left = lines.filter((l) => /not yet on/.test(l))
    expect(left).toHaveLength(1)
    expect(left[0]).toMatch(/mldb sync --db /)
    expect(lines.length).toBeLessThanOrEqual(2)

    const server = await startTeamServer(root, `${root}/server/fault-${mode}.db`)
    const r = onMachine(m, ['sync', '--server', server.url, '--token', server.token])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const pts = await serverPoints(server, `f-${mode}`, 'acc')
    expect(pts.length).toBe(3000)
    expect(new Set(pts.map((p) => p.step)).size).toBe(3000)
  })
})

describe('a token revoked mid-run', () => {
  it('warns once, keeps logging locally, and a valid token sends the rest', async () => {
    const server = await startTeamServer(root, `${root}/server/revoke.db`)
    const made = onMachine({ home: `${root}/server` }, ['token', 'create', 'short-lived', '--db', server.db])
    const temp = made.stdout.trim()
    const m = machine(root, 'revoked')
    const w = startWriter(writerScript(root), m, { MLDB_SERVER: server.url, MLDB_TOKEN: temp, MLDB_SYNC_WAIT_MS: '2000' }, ['rev', '8000', '10'])
    for (let i = 0; i < 400; i++) {
      if ((await getJson(server, '/api/experiments/rev')).status === 200) break
      await new Promise((r) => setTimeout(r, 25))
    }
    expect(onMachine({ home: `${root}/server` }, ['token', 'revoke', 'short-lived', '--db', server.db]).status).toBe(0)
    expect(await w.exited).toBe(0)
    const err = w.stderr()
    expect(err.match(/refused the token/g)).toHaveLength(1)
    expect(err).toMatch(/401/)
    expect(err).toMatch(/not yet on .*mldb sync/)
    // the local file has all of it
    const pending = JSON.parse(onMachine(m, ['sync', '--pending', '--json'], { MLDB_SERVER: server.url }).stdout) as { points: number }
    expect(pending.points).toBeGreaterThan(0)
    const before = (await serverPoints(server, 'rev', 'acc')).length
    expect(before + pending.points).toBe(8000)
    const r = onMachine(m, ['sync', '--server', server.url, '--token', server.token])
    expect(r.status).toBe(0)
    expect((await serverPoints(server, 'rev', 'acc')).length).toBe(8000)
  })
})

describe('two machines with the same experiment name', () => {
  it('never merges them: the second is renamed on the server, and told so', async () => {
    const server = await startTeamServer(root, `${root}/server/clash.db`)
    const env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token }
    const a = startWriter(writerScript(root), machine(root, 'clash-a'), env, ['same', '100'])
    expect(await a.exited).toBe(0)
    const b = startWriter(writerScript(root), machine(root, 'clash-b'), env, ['same', '50'])
    expect(await b.exited).toBe(0)
    expect(a.stderr()).toBe('')
    const renamed = b.stderr().match(/another experiment named "same".*sent as "(same-[0-9a-f]{8})"/)
    expect(renamed).not.toBeNull()
    expect((await serverPoints(server, 'same', 'acc')).length).toBe(100)
    expect((await serverPoints(server, renamed?.[1] as string, 'acc')).length).toBe(50)
  })
})
