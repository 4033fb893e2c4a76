import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'start-token-for-tests'
// biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field in assertions
type J = any

describe.each(BACKENDS)('the model registry on mldb server ($name)', (backend) => {
  async function setup() {
    const fresh = await backend.fresh()
    const app: Hono = createServerApp({ store: fresh.store, artifactsDir: join(tempDir().dir, 'artifacts'), maxArtifactBytes: 1 << 20, startToken: START })
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
    return { fresh, req }
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
