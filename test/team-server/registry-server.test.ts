import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { parseJsonNumbers } from '../../src/json.js'
import { ServerUnreachableError } from '../../src/registry/server-unreachable.js'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { mldb, ok } from '../cli/helpers.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS, freshPgUrl, freshSqlitePath } from './backends.js'
import { type ServerProcess, startServerProcess } from './server-process.js'

const START = 'start-token-for-tests'
// biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field in assertions
type J = any

describe.each(BACKENDS)('the model registry on mldb server ($name)', (backend) => {
  async function setup() {
    const fresh = await backend.fresh()
    const artifacts = join(tempDir().dir, 'artifacts')
    const app: Hono = createServerApp({ store: fresh.store, artifactsDir: artifacts, maxArtifactBytes: 1 << 20, startToken: START })
    const req = async (method: string, path: string, body?: unknown, token = START) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      let payload: BodyInit | undefined
      if (body instanceof Uint8Array) payload = body as unknown as BodyInit
      else if (body !== undefined) {
        headers['content-type'] = 'application/json'
        payload = JSON.stringify(body)
      }
      const res = await app.request(path, { method, headers, body: payload })
      const text = await res.text()
      return { status: res.status, body: (text.startsWith('{') ? parseJsonNumbers(text) : { text }) as Record<string, J> }
    }
    return { fresh, req, artifacts }
  }
  let seq = 0
  const w = (extra: Record<string, unknown>, client = 'machine-a') => ({ client, seq: ++seq, ...extra })
  const bytes = (s: string) => new TextEncoder().encode(s)
  const sha = (s: string) => createHash('sha256').update(s).digest('hex')
  const evidence = (weights: string) => ({
    exp: 'run-1',
    path: '/home/a/model.bin',
    sha256: sha(weights),
    size: bytes(weights).length,
    params: { lr: 0.01 },
    metrics: [{ name: 'loss', split: 'valid', count: 3, lastStep: 2, last: 0.25, min: 'NaN', max: 0.9 }],
    by: 'ann@gpu1',
  })

  it("marks a version ok while the artifact store holds its bytes and missing once they are gone (the Models page's state)", async () => {
    const { req, artifacts } = await setup()
    expect((await req('PUT', `/api/artifacts/${sha('w9')}`, bytes('w9'))).status).toBe(201)
    expect((await req('POST', '/api/experiments', w({ name: 'run-1' }))).status).toBeLessThan(300)
    expect((await req('POST', '/api/models/kept/versions', w(evidence('w9')))).status).toBe(201)
    const state = async () => ((await req('GET', '/api/models/kept?verify=true')).body.versions as { state: string }[]).map((v) => v.state)
    expect(await state()).toEqual(['ok'])
    expect(((await req('GET', '/api/experiments/run-1/models')).body.versions as { state: string }[]).map((v) => v.state)).toEqual(['ok'])
    rmSync(join(artifacts, sha('w9').slice(0, 2)), { recursive: true, force: true })
    expect(await state()).toEqual(['missing'])
  })

  it('registers a version of a run named as long as MLflow allows (300 characters, a 250-character series) and refuses one character more', async () => {
    const { req } = await setup()
    const long = `${'r'.repeat(250)}-${'0'.repeat(32)}`.padEnd(300, 'x')
    expect((await req('PUT', `/api/artifacts/${sha('w8')}`, bytes('w8'))).status).toBe(201)
    expect((await req('POST', '/api/experiments', w({ name: long }))).status).toBeLessThan(300)
    const metrics = [{ name: 'm'.repeat(250), split: 'valid', count: 1, lastStep: -1, last: 0.5, min: 0.5, max: 0.5 }]
    const r = await req('POST', '/api/models/long/versions', w({ ...evidence('w8'), exp: long, metrics }))
    expect(r.status).toBe(201)
    expect(r.body.version).toMatchObject({ exp: long, version: 1 })
    expect(r.body.version.metrics[`valid/${'m'.repeat(250)}`]).toMatchObject({ lastStep: -1, last: 0.5 })
    const over = await req('POST', '/api/models/long/versions', w({ ...evidence('w8'), exp: `${long}x` }))
    expect(over.status).toBe(400)
    expect(over.body.error.message).toContain('exp')
  })

  it('numbers versions once, keeps the evidence, moves aliases with their history, and answers a retry with the same version', async () => {
    const { req } = await setup()
    expect((await req('PUT', `/api/artifacts/${sha('w1')}`, bytes('w1'))).status).toBe(201)
    const first = w({ ...evidence('w1'), aliases: ['staging'], description: 'first' })
    const r1 = await req('POST', '/api/models/iris/versions', first)
    expect(r1.status).toBe(201)
    expect(r1.body.version).toMatchObject({ name: 'iris', version: 1, aliases: ['staging'], sha256: sha('w1'), exp: 'run-1', params: { lr: 0.01 } })
    expect(r1.body.version.metrics['valid/loss'].min).toBeNaN()
    // the same write id again (a client retrying after a timeout): no second version
    const again = await req('POST', '/api/models/iris/versions', first)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ duplicate: true, version: { version: 1 } })

    await req('PUT', `/api/artifacts/${sha('w2')}`, bytes('w2'))
    expect((await req('POST', '/api/models/iris/versions', w({ ...evidence('w2'), by: 'bob@gpu2' }, 'machine-b'))).body.version.version).toBe(2)
    expect((await req('POST', '/api/models/iris/aliases', w({ alias: 'champion', version: 2, by: 'bob@gpu2' }))).status).toBe(200)
    expect((await req('POST', '/api/models/iris/aliases', w({ alias: 'staging', version: null, by: 'ann@gpu1' }))).status).toBe(200)
    const champ = await req('GET', '/api/models/iris/versions/champion')
    expect(champ.body.version).toMatchObject({ version: 2, aliases: ['champion'], registeredBy: 'bob@gpu2' })
    expect((await req('GET', '/api/models/iris/versions/1')).body.version.aliases).toEqual([])
    expect((await req('GET', '/api/models/iris/versions/latest')).body.version.version).toBe(2)
    const model = await req('GET', '/api/models/iris')
    expect(model.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    expect(model.body.history.map((h: J) => [h.alias, h.from, h.to, h.who])).toEqual([
      ['staging', null, 1, 'ann@gpu1'],
      ['champion', null, 2, 'bob@gpu2'],
      ['staging', 1, null, 'ann@gpu1'],
    ])
    expect((await req('GET', '/api/models')).body.models).toMatchObject([{ name: 'iris', latestVersion: 2, aliases: { champion: 2 } }])
  })

  it('refuses a version whose bytes were not uploaded, bad names and aliases, unknown versions: 4xx, nothing written', async () => {
    const { req, fresh } = await setup()
    const missing = await req('POST', '/api/models/iris/versions', w(evidence('never-uploaded')))
    expect(missing.status).toBe(400)
    expect(missing.body.error.message).toMatch(/PUT the file to \/api\/artifacts\//)
    await req('PUT', `/api/artifacts/${sha('w1')}`, bytes('w1'))
    expect((await req('POST', '/api/models/has%20space/versions', w(evidence('w1')))).body.error.message).toMatch(/no spaces/)
    expect((await req('POST', '/api/models/iris/versions', w({ ...evidence('w1'), aliases: ['3'] }))).body.error.message).toMatch(/is a number/)
    expect((await req('GET', '/api/models/iris/versions/1')).status).toBe(404)
    expect(Number((await fresh.sql('SELECT count(*) AS n FROM model_versions'))[0]?.n)).toBe(0)
    await req('POST', '/api/models/iris/versions', w(evidence('w1')))
    const noVersion = await req('POST', '/api/models/iris/aliases', w({ alias: 'champion', version: 7 }))
    expect(noVersion.status).toBe(404)
    expect(noVersion.body.error.message).toMatch(/no version 7/)
    expect((await req('POST', '/api/models/iris/aliases', w({ alias: 'nothing', version: null }))).status).toBe(404)
    expect((await req('GET', '/api/models/iris/versions/champion')).status).toBe(404)
  })

  it('lets a read-only token read the registry but not write it', async () => {
    const { req, fresh } = await setup()
    await fresh.store.createToken('viewer', hashToken('viewer-token'), true)
    await req('PUT', `/api/artifacts/${sha('w1')}`, bytes('w1'))
    await req('POST', '/api/models/iris/versions', w(evidence('w1')))
    expect((await req('GET', '/api/models/iris/versions/1', undefined, 'viewer-token')).status).toBe(200)
    expect((await req('POST', '/api/models/iris/aliases', w({ alias: 'champion', version: 1 }), 'viewer-token')).status).toBe(403)
  })
})

describe.each([
  ['a SQLite file', () => freshSqlitePath()],
  ['PostgreSQL', () => freshPgUrl()],
])('two machines share the registry through mldb server on %s', (_what, freshDb) => {
  const machines = tempDir('mldb-registry-machines-')
  const servers: ServerProcess[] = []
  afterAll(() => {
    for (const s of servers) s.child.kill('SIGKILL')
    machines.cleanup()
  })

  it('registers on machine A (bytes uploaded), pulls on machine B with its sha256 checked, and `model path` fetches it there', async () => {
    const a = join(machines.dir, `a-${_what.length}`)
    const b = join(machines.dir, `b-${_what.length}`)
    mkdirSync(a)
    mkdirSync(b)
    const server = await startServerProcess(machines.dir, freshDb(), join(machines.dir, `art-${_what.length}`))
    servers.push(server)
    const env = { MLDB_SERVER: server.base, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '0' }
    const weights = join(a, 'model.bin')
    writeFileSync(weights, 'weights of machine A')
    ok(a, ['file', 'run-a', weights, '--kind', 'model'], { env })
    ok(a, ['log', 'run-a', 'valid/loss', '0.25', '--step', '0'], { env })
    expect(ok(a, ['model', 'register', 'iris', 'run-a', weights, '--alias', 'champion'], { env })).toMatch(/registered iris\/1 from run-a/)
    // machine B has no local file at all: it reads and pulls from the server
    const shown = JSON.parse(ok(b, ['model', 'show', 'iris@champion', '--json'], { env }))
    expect(shown).toMatchObject({ name: 'iris', version: 1, aliases: ['champion'], path: weights, registeredBy: expect.stringContaining('@') })
    const pulled = ok(b, ['model', 'pull', 'iris@champion'], { env }).trim()
    expect(pulled).toBe(join(b, '.mldb', 'models', 'iris', '1', 'model.bin'))
    expect(readFileSync(pulled, 'utf8')).toBe('weights of machine A')
    const out = join(b, 'serve')
    expect(ok(b, ['model', 'pull', 'iris/1', '--out', out], { env }).trim()).toBe(join(out, 'model.bin'))
    // the tests' machines share one disk: A's file must be gone for B to need the server's copy
    expect(ok(b, ['model', 'path', 'iris@champion'], { env }).trim()).toBe(weights)
    rmSync(weights)
    expect(ok(b, ['model', 'path', 'iris@champion'], { env }).trim()).toBe(pulled)
    // an alias moved on B is what A reads next
    writeFileSync(weights, 'weights of machine A, retrained')
    ok(a, ['file', 'run-a', weights, '--kind', 'model'], { env })
    ok(a, ['model', 'register', 'iris', 'run-a', weights], { env })
    ok(b, ['model', 'alias', 'iris', 'champion', '2'], { env })
    expect(JSON.parse(ok(a, ['model', 'show', 'iris@champion', '--json'], { env })).version).toBe(2)
    expect(JSON.parse(ok(a, ['model', 'history', 'iris', '--json'], { env })).map((h: J) => [h.from, h.to])).toEqual([
      [null, 1],
      [1, 2],
    ])
  })
})

describe('a direct registry call without a reachable server', () => {
  it('throws ServerUnreachableError saying it cannot be deferred, and the CLI says so in one line', () => {
    const t = tempDir('mldb-registry-down-')
    const weights = join(t.dir, 'model.bin')
    writeFileSync(weights, 'w')
    {
      using db = new Database({ path: join(t.dir, 'a.db'), server: 'http://127.0.0.1:1/', token: 't', syncWaitMs: 0 })
      db.addFile('run-a', weights, { kind: 'model' })
      expect(() => db.registerModel('iris', { exp: 'run-a', file: weights })).toThrow(ServerUnreachableError)
      expect(() => db.getModelVersion('iris@champion')).toThrow(/cannot be deferred like logging/)
    }
    const r = mldb(t.dir, ['model', 'pull', 'iris@champion'], { env: { MLDB_SERVER: 'http://127.0.0.1:1/', MLDB_TOKEN: 't' } })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/needs the team server http:\/\/127.0.0.1:1\/, which did not answer.*cannot be deferred/)
    t.cleanup()
  })
})
