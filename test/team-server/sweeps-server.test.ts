import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { buildCli, ok } from '../cli/helpers.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS, freshPgUrl, freshSqlitePath } from './backends.js'
import { mldbAsync, type ServerProcess, startServerProcess } from './server-process.js'

const START = 'start-token-for-tests'
// biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field in assertions
type J = any

describe.each(BACKENDS)('sweeps on mldb server ($name)', (backend) => {
  async function setup() {
    const fresh = await backend.fresh()
    const app: Hono = createServerApp({ store: fresh.store, artifactsDir: join(tempDir().dir, 'artifacts'), maxArtifactBytes: 1 << 20, startToken: START })
    const req = async (method: string, path: string, body?: unknown, token = START) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      if (body !== undefined) headers['content-type'] = 'application/json'
      const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await res.text()
      return { status: res.status, body: (text.startsWith('{') ? parseJsonNumbers(text) : { text }) as Record<string, J> }
    }
    return { fresh, req }
  }
  let seq = 0
  const w = (extra: Record<string, unknown>, client = 'agent-a') => ({ client, seq: ++seq, ...extra })
  const claim = (req: Awaited<ReturnType<typeof setup>>['req'], sweep: string, uuid: string, body = w({ uuid, host: 'gpu1', pid: 42 }, uuid)) =>
    req('POST', `/api/sweeps/${sweep}/claim`, body)

  it('hands every trial of a grid out once to agents claiming at the same time, then none', async () => {
    const { req } = await setup()
    const config = {
      name: 'grid',
      method: 'grid',
      metric: { name: 'valid/loss', goal: 'minimize' },
      parameters: { lr: { values: [0.1, 0.01, 0.001] }, bs: { values: [16, 32] } },
    }
    expect((await req('POST', '/api/sweeps', w({ config }))).status).toBe(201)
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(req, 'grid', `agent-uuid-${i}`)))
    const trials = got.map((r) => r.body.trial).filter((t) => t !== null)
    expect(trials).toHaveLength(6)
    expect(new Set(trials.map((t) => t.number)).size).toBe(6)
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(6)
    expect(trials.map((t) => t.exp).sort()).toEqual(['grid-0', 'grid-1', 'grid-2', 'grid-3', 'grid-4', 'grid-5'])
    const view = await req('GET', '/api/sweeps/grid')
    expect(view.body.sweep).toMatchObject({ trials: 6, running: 6 })
    expect(view.body.trials.map((t: { status: string }) => t.status)).toEqual(Array(6).fill('TRAINING'))
    // the trial's experiment carries the agent's host and the uuid its own copy syncs under
    const exp = await req('GET', `/api/experiments/${trials[0].exp}`)
    expect(exp.body.tags ?? exp.body.experiment?.tags).toMatchObject({ 'mldb.sweep': 'grid', 'mldb.uuid': expect.stringMatching(/^agent-uuid-/) })
  })

  it('answers a retried claim with the same trial, records ends and values, and knows the best', async () => {
    const { req } = await setup()
    const config = { name: 'rnd', method: 'random', run_cap: 3, seed: 7, metric: { name: 'score', goal: 'maximize' }, parameters: { x: { min: 0, max: 1 } } }
    await req('POST', '/api/sweeps', w({ config }))
    const body = w({ uuid: 'uuid-first-claim', host: 'gpu1', pid: 1 })
    const first = await claim(req, 'rnd', 'uuid-first-claim', body)
    const retry = await claim(req, 'rnd', 'uuid-first-claim', body)
    expect(retry.body).toMatchObject({ duplicate: true, trial: first.body.trial })
    const second = (await claim(req, 'rnd', 'uuid-second')).body.trial
    const third = (await claim(req, 'rnd', 'uuid-third')).body.trial
    expect((await claim(req, 'rnd', 'uuid-fourth')).body.trial).toBeNull() // run_cap 3
    expect((await req('POST', `/api/sweeps/rnd/trials/${first.body.trial.number}/end`, w({ status: 'COMPLETE', value: 0.5 }))).status).toBe(200)
    await req('POST', `/api/sweeps/rnd/trials/${second.number}/end`, w({ status: 'COMPLETE', value: 0.9 }))
    await req('POST', `/api/sweeps/rnd/trials/${third.number}/end`, w({ status: 'FAILED', note: 'CUDA out of memory' }))
    const view = (await req('GET', '/api/sweeps/rnd')).body
    expect(view.sweep).toMatchObject({ trials: 3, complete: 2, failed: 1, best: { number: second.number, value: 0.9 } })
    expect(JSON.stringify((await req('GET', `/api/experiments/${third.exp}`)).body)).toContain('CUDA out of memory')
    expect((await req('GET', '/api/sweeps')).body.sweeps.map((s: { name: string }) => s.name)).toEqual(['rnd'])
  })

  it('fails a trial whose agent stopped beating at the next claim, unless it beats; stops; prunes by the median', async () => {
    const { req, fresh } = await setup()
    const config = {
      name: 'med',
      method: 'random',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: { x: { min: 0, max: 1 } },
      early_terminate: { type: 'median', n_startup_trials: 1 },
    }
    await req('POST', '/api/sweeps', w({ config }))
    const a = (await claim(req, 'med', 'uuid-a')).body.trial
    const b = (await claim(req, 'med', 'uuid-b')).body.trial
    expect((await req('POST', `/api/experiments/${a.exp}/notes`, w({ notes: 'epoch 3' }))).status).toBe(200)
    await fresh.sql('UPDATE experiments SET heartbeat_at = 0, updated_at = 0')
    expect((await req('POST', `/api/sweeps/med/trials/${b.number}/heartbeat`)).status).toBe(200)
    await claim(req, 'med', 'uuid-c')
    const statuses = Object.fromEntries((await req('GET', '/api/sweeps/med')).body.trials.map((t: J) => [t.number, t.status]))
    expect(statuses[a.number]).toBe('FAILED')
    expect(statuses[b.number]).toBe('TRAINING')
    // what the trial wrote stays, the LOST line below it, as a FAILED trial's error
    expect((await req('GET', `/api/experiments/${a.exp}`)).body.notes).toBe('epoch 3\nLOST: its worker stopped beating; marked FAILED by the sweep')
    // the pruner reads the points the server holds: b's loss is worse than a complete trial's at the same step
    const logPoints = async (exp: string, values: number[]) =>
      req('POST', `/api/experiments/${exp}/points`, w({ points: values.map((value, step) => ({ name: 'loss', step, value })) }))
    await logPoints(a.exp, [0.5, 0.2])
    await fresh.sql(`UPDATE experiments SET status = 'COMPLETE' WHERE name = $1`, [a.exp])
    await logPoints(b.exp, [0.9, 0.8])
    expect((await req('GET', `/api/sweeps/med/trials/${b.number}/prune`)).body.prune).toBe(true)
    expect((await req('GET', `/api/sweeps/med/trials/${a.number}/prune`)).body.prune).toBe(false)
    expect((await req('POST', '/api/sweeps/med/stop', w({}))).status).toBe(200)
    expect((await claim(req, 'med', 'uuid-d')).body.trial).toBeNull()
  })

  it('refuses bad configs, unknown sweeps and trials, and writes by a read-only token', async () => {
    const { req, fresh } = await setup()
    await fresh.store.createToken('viewer', hashToken('viewer-token'), true)
    const bad = await req('POST', '/api/sweeps', w({ config: { name: 'x', method: 'annealing', metric: { name: 'loss' }, parameters: {} } }))
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/method/)
    expect((await claim(req, 'nope', 'uuid-x')).status).toBe(404)
    const config = { name: 'ok', method: 'random', metric: { name: 'loss' }, parameters: { x: { min: 0, max: 1 } } }
    await req('POST', '/api/sweeps', w({ config }))
    expect((await req('POST', '/api/sweeps', w({ config }))).body.error.message).toMatch(/already exists/)
    expect((await req('POST', '/api/sweeps/ok/trials/9/end', w({ status: 'COMPLETE' }))).status).toBe(404)
    expect((await req('POST', '/api/sweeps/ok/trials/x/end', w({ status: 'COMPLETE' }))).status).toBe(400)
    expect((await req('POST', '/api/sweeps/ok/claim', w({ uuid: 'uuid-viewer' }), 'viewer-token')).status).toBe(403)
    expect((await req('GET', '/api/sweeps/ok', undefined, 'viewer-token')).status).toBe(200)
  })
})

describe.each([
  ['a SQLite file', () => freshSqlitePath()],
  ['PostgreSQL', () => freshPgUrl()],
])('mldb sweep agent on two machines through mldb server on %s', (what, freshDb) => {
  const machines = tempDir('mldb-sweep-machines-')
  const servers: ServerProcess[] = []
  afterAll(() => {
    for (const s of servers) s.child.kill('SIGKILL')
    machines.cleanup()
  })

  it('hands each trial to one agent, and each trial logs into its one experiment on the server', async () => {
    const tag = what.length
    const [a, b] = [join(machines.dir, `a-${tag}`), join(machines.dir, `b-${tag}`)]
    mkdirSync(a)
    mkdirSync(b)
    const server = await startServerProcess(machines.dir, freshDb(), join(machines.dir, `art-${tag}`))
    servers.push(server)
    const index = pathToFileURL(join(dirname(buildCli()), '..', 'index.js')).href
    const program = join(machines.dir, `train-${tag}.mjs`)
    writeFileSync(
      program,
      `import { Database } from '${index}'
const x = Number(process.argv.find((a) => a.startsWith('--x=')).slice(4))
const db = new Database({ syncWaitMs: 20000 })
db.addMetricValue(process.env.MLDB_EXP, 'objective', 0, x * x)
db.close()
`,
    )
    const config = join(machines.dir, `grid-${tag}.json`)
    const values = [1, 2, 3, 4, 5, 6]
    writeFileSync(config, JSON.stringify({ name: 'grid2', method: 'grid', metric: { name: 'objective' }, parameters: { x: { values } }, program }))
    const env = { MLDB_SERVER: server.base, MLDB_TOKEN: server.token }
    expect(ok(a, ['sweep', 'create', config], { env }).trim()).toBe('grid2')
    const runs = await Promise.all([mldbAsync(a, ['sweep', 'agent', 'grid2'], env), mldbAsync(b, ['sweep', 'agent', 'grid2'], env)])
    expect(runs.map((r) => [r.status, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ])
    const claimed = runs.map((r) => [...r.stdout.matchAll(/^trial (\d+) COMPLETE/gm)].map((m) => Number(m[1])))
    expect(claimed.flat().sort()).toEqual([0, 1, 2, 3, 4, 5])
    const get = async (path: string) => (await (await fetch(new URL(path, server.base), { headers: { authorization: `Bearer ${server.token}` } })).json()) as J
    const view = await get('/api/sweeps/grid2')
    expect(view.sweep).toMatchObject({ trials: 6, complete: 6, best: { value: 1, params: { x: 1 } } })
    expect(view.trials.map((t: J) => t.value).sort((x: number, y: number) => x - y)).toEqual(values.map((x) => x * x))
    // any machine reads the sweep from the server, as on a file
    expect(JSON.parse(ok(b, ['sweep', 'show', 'grid2', '--json'], { env }))).toMatchObject({ trials: expect.any(Array), complete: 6 })
    expect(ok(a, ['sweep', 'ls'], { env })).toMatch(/grid2 .* 6 /)
    // the programs' points reach the trials' own experiments (the sync sender, not a renamed copy)
    let names: string[] = []
    for (let i = 0; i < 120; i++) {
      const list = await get('/api/experiments?limit=100')
      names = list.experiments.map((e: J) => e.name)
      const synced = await Promise.all(view.trials.map(async (t: J) => (await get(`/api/experiments/${t.exp}/series`)).series?.length ?? 0))
      if (synced.every((n: number) => n > 0)) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(names.sort()).toEqual(view.trials.map((t: J) => t.exp).sort())
  })
})
