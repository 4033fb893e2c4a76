import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS, type Fresh } from './backends.js'

const START = 'start-token-for-tests'

interface Client {
  app: Hono
  fresh: Fresh
  artifacts: string
  req(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: Record<string, unknown>; text: string }>
}

describe.each(BACKENDS)('mldb server on $name', (backend) => {
  async function setup(options: { maxBodyBytes?: number; maxArtifactBytes?: number } = {}): Promise<Client> {
    const fresh = await backend.fresh()
    const artifacts = join(tempDir().dir, 'artifacts')
    const app = createServerApp({
      store: fresh.store,
      artifactsDir: artifacts,
      maxArtifactBytes: options.maxArtifactBytes ?? 1024,
      maxBodyBytes: options.maxBodyBytes,
      startToken: START,
    })
    return {
      app,
      fresh,
      artifacts,
      async req(method, path, body, token = START) {
        const headers: Record<string, string> = {}
        if (token !== null) headers.authorization = `Bearer ${token}`
        let payload: BodyInit | undefined
        if (body instanceof Uint8Array) payload = body as unknown as BodyInit
        else if (body !== undefined) {
          headers['content-type'] = 'application/json'
          payload = typeof body === 'string' ? body : JSON.stringify(body)
        }
        const res = await app.request(path, { method, headers, body: payload })
        const text = await res.text()
        return { status: res.status, body: text.startsWith('{') ? (parseJsonNumbers(text) as Record<string, unknown>) : { text }, text }
      },
    }
  }
  let seq = 0
  const w = (extra: Record<string, unknown>, client = 'client-a') => ({ client, seq: ++seq, ...extra })

  it('creates, logs, sets status/params/tags/notes and reads it all back through the read API', async () => {
    const c = await setup()
    expect((await c.req('POST', '/api/experiments', w({ name: 'exp1', project: 'vision', params: { lr: 0.01 }, host: 'gpu3' }))).status).toBe(201)
    const points = [
      { name: 'loss', split: 'train', step: 0, value: 'NaN' },
      { name: 'loss', split: 'train', step: 1, value: 'Infinity' },
      { name: 'loss', split: 'train', step: 1, value: 0.5 },
      { name: 'loss', split: 'train', step: 2, value: '-Infinity', time: 1234 },
    ]
    expect(await c.req('POST', '/api/experiments/exp1/points', w({ points }))).toMatchObject({ status: 200, body: { ok: true, duplicate: false, points: 4 } })
    expect((await c.req('POST', '/api/experiments/exp1/params', w({ params: { bs: 32 } }))).status).toBe(200)
    expect((await c.req('POST', '/api/experiments/exp1/tags', w({ tags: { team: 'a' } }))).status).toBe(200)
    expect((await c.req('POST', '/api/experiments/exp1/notes', w({ notes: 'n' }))).status).toBe(200)
    expect((await c.req('POST', '/api/experiments/exp1/status', w({ status: 'COMPLETE' }))).status).toBe(200)
    const list = await c.req('GET', '/api/experiments?where=params.lr%20%3C%200.1')
    expect(list.body.total).toBe(1)
    const e = await c.req('GET', '/api/experiments/exp1')
    expect(e.body).toMatchObject({
      name: 'exp1',
      project: 'vision',
      status: 'COMPLETE',
      host: 'gpu3',
      params: { lr: 0.01, bs: 32 },
      tags: { team: 'a' },
      notes: 'n',
    })
    expect((e.body.statusHistory as { status: string }[]).map((h) => h.status)).toEqual(['TRAINING', 'COMPLETE'])
    const p = await c.req('GET', '/api/experiments/exp1/points?series=train/loss')
    // the wire form: JSON has no NaN or Infinity, so they travel as strings
    expect(JSON.parse(p.text).points).toEqual([
      [0, expect.any(Number), 'NaN'],
      [1, expect.any(Number), 'Infinity'],
      [1, expect.any(Number), 0.5],
      [2, 1234, '-Infinity'],
    ])
    expect((await c.req('GET', '/api/experiments/exp1/downsample?series=train/loss&buckets=2')).body.buckets).toHaveLength(2)
    expect((await c.req('GET', '/api/projects')).body).toEqual({ projects: [{ name: 'vision', count: 1 }] })
    expect((await c.req('GET', '/api/health')).body).toMatchObject({ ok: true, backend: backend.name })
  })

  it('a retried write (same client and seq) never duplicates a point or a status change', async () => {
    const c = await setup()
    await c.req('POST', '/api/experiments', w({ name: 'e' }))
    const batch = w({ points: Array.from({ length: 500 }, (_, i) => ({ name: 'acc', step: i, value: i / 500 })) })
    expect((await c.req('POST', '/api/experiments/e/points', batch)).body.duplicate).toBe(false)
    expect((await c.req('POST', '/api/experiments/e/points', batch)).body).toEqual({ ok: true, duplicate: true, points: 500 })
    const status = w({ status: 'VALIDATING' })
    await c.req('POST', '/api/experiments/e/status', status)
    await c.req('POST', '/api/experiments/e/status', w({ status: 'TRAINING' }))
    expect((await c.req('POST', '/api/experiments/e/status', status)).body.duplicate).toBe(true)
    const e = await c.req('GET', '/api/experiments/e')
    expect((e.body.series as Record<string, { count: number }>).acc?.count).toBe(500)
    expect(e.body.status).toBe('TRAINING')
    expect((e.body.statusHistory as unknown[]).length).toBe(3)
    // another client may use the same seq
    expect((await c.req('POST', '/api/experiments/e/status', { ...status, client: 'client-b' })).body.duplicate).toBe(false)
  })

  it('refuses bad input with a 400 naming the field, 404 for an unknown experiment, 413 past the body limit', async () => {
    const c = await setup({ maxBodyBytes: 2000 })
    await c.req('POST', '/api/experiments', w({ name: 'e' }))
    const bad = async (path: string, body: unknown, field: RegExp) => {
      const r = await c.req('POST', path, body)
      expect(r.status).toBe(400)
      expect((r.body.error as { message: string }).message).toMatch(field)
    }
    await bad('/api/experiments/e/points', w({ points: [{ name: 'x', step: 1.5, value: 1 }] }), /points\.0\.step/)
    await bad('/api/experiments/e/points', w({ points: [{ name: 'x', step: 1, value: 'nan' }] }), /points\.0\.value/)
    await bad('/api/experiments/e/points', { seq: 1, points: [] }, /"client"/)
    await bad('/api/experiments/e/status', w({ status: 'X', extra: 1 }), /"extra"/)
    await bad('/api/experiments/e/status', '{"client":"a",', /not valid JSON/)
    await bad('/api/experiments/e/files', w({ path: '/x', size: 1, mtime: 1, sha256: 'XYZ' }), /sha256/)
    await bad('/api/experiments/e/params', w({ params: { 'bad key\u0001': 1 } }), /param key/)
    expect((await c.req('POST', '/api/experiments/nope/status', w({ status: 'COMPLETE' }))).status).toBe(404)
    expect((await c.req('GET', '/api/experiments/nope')).status).toBe(404)
    const big = w({ points: Array.from({ length: 100 }, (_, i) => ({ name: 'x', step: i, value: i })) })
    expect((await c.req('POST', '/api/experiments/e/points', big)).status).toBe(413)
    const e = await c.req('GET', '/api/experiments/e')
    expect(e.body.series).toEqual({})
  })

  it('tokens: none or wrong → 401, read-only → 403 on writes, revoked → 401', async () => {
    const c = await setup()
    await c.fresh.store.createToken('alice', hashToken('mldb_alice'), false)
    await c.fresh.store.createToken('dash', hashToken('mldb_dash'), true)
    expect((await c.req('GET', '/api/experiments', undefined, null)).status).toBe(401)
    expect((await c.req('GET', '/api/experiments', undefined, 'mldb_wrong')).status).toBe(401)
    expect((await c.req('POST', '/api/experiments', w({ name: 'a' }), 'mldb_alice')).status).toBe(201)
    expect((await c.req('GET', '/api/experiments', undefined, 'mldb_dash')).status).toBe(200)
    const ro = await c.req('POST', '/api/experiments/a/status', w({ status: 'COMPLETE' }), 'mldb_dash')
    expect(ro.status).toBe(403)
    expect((ro.body.error as { message: string }).message).toMatch(/read-only/)
    await c.fresh.store.revokeToken('alice')
    expect((await c.req('GET', '/api/experiments', undefined, 'mldb_alice')).status).toBe(401)
    expect((await c.req('GET', '/api/experiments/a')).body.status).toBe('TRAINING')
  })

  it('artifacts: stored once per sha256, streamed back, refused past the size limit or under a wrong hash', async () => {
    const c = await setup({ maxArtifactBytes: 1000 })
    await c.req('POST', '/api/experiments', w({ name: 'e' }))
    const bytes = new Uint8Array(Array.from({ length: 700 }, (_, i) => i % 251))
    const sha = createHash('sha256').update(bytes).digest('hex')
    expect((await c.req('PUT', `/api/artifacts/${sha}`, bytes)).status).toBe(201)
    expect((await c.req('PUT', `/api/artifacts/${sha}`, bytes)).body.duplicate).toBe(true)
    expect((await c.req('PUT', `/api/artifacts/${'0'.repeat(64)}`, bytes)).status).toBe(400)
    expect((await c.req('PUT', `/api/artifacts/${'1'.repeat(64)}`, new Uint8Array(1001))).status).toBe(413)
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [d.name]))
    expect(files(c.artifacts)).toEqual([sha])
    await c.req('POST', '/api/experiments/e/files', w({ path: '/gpu3/ckpt.pt', kind: 'checkpoint', size: 700, mtime: 1, sha256: sha }))
    await c.req('POST', '/api/experiments/e/files', w({ path: '/gpu3/other.pt', kind: 'model', size: 5, mtime: 1 }))
    const e = await c.req('GET', '/api/experiments/e')
    const [stored, other] = e.body.files as { stored: boolean; url: string | null }[]
    expect(stored).toMatchObject({ stored: true, url: `/api/artifacts/${sha}` })
    expect(other?.stored).toBe(false)
    const res = await c.app.request(stored?.url as string, { headers: { authorization: `Bearer ${START}` } })
    expect(res.status).toBe(200)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    expect((await c.req('GET', `/api/artifacts/${'2'.repeat(64)}`)).status).toBe(404)
    expect(existsSync(join(c.artifacts, 'tmp')) ? readdirSync(join(c.artifacts, 'tmp')) : []).toEqual([])
  })

  it('a page load with ?token= keeps the token in a cookie, as mldb ui does', async () => {
    const c = await setup()
    const res = await c.app.request(`/?token=${START}`, { headers: { accept: 'text/html' } })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/')
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string
    expect(cookie).toMatch(/^mldb_token_\d+=/)
    expect((await c.app.request('/api/experiments', { headers: { cookie } })).status).toBe(200)
    expect((await c.app.request('/api/experiments', { headers: { cookie: cookie.replace(START, 'nope') } })).status).toBe(401)
  })

  it('tells the live dashboard what changed since its last poll', async () => {
    const c = await setup()
    await c.req('POST', '/api/experiments', w({ name: 'old' }))
    const first = await c.req('GET', `/api/changes?since=${Date.now() + 60_000}`)
    expect(first.body).toMatchObject({ experiments: [], trashed: [] })
    const since = first.body.now as number
    await c.req('POST', '/api/experiments', w({ name: 'new' }))
    await c.req('POST', '/api/experiments/new/points', w({ points: [{ name: 'acc', step: 0, value: 1 }] }))
    const next = await c.req('GET', `/api/changes?since=${since}`)
    const names = (next.body.experiments as { name: string; series: Record<string, unknown> }[]).map((e) => e.name)
    expect(names).toContain('new')
    expect((next.body.experiments as { name: string; series: Record<string, unknown> }[]).find((e) => e.name === 'new')?.series).toHaveProperty('acc')
  })

  it('serves an OpenAPI document of the write API', async () => {
    const c = await setup()
    const doc = (await c.req('GET', '/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }
    expect(doc.openapi).toBe('3.1.0')
    expect(JSON.stringify(doc.paths['/api/experiments/{name}/points']?.post?.requestBody)).toContain('"seq"')
    // The registry and sweeps are served on both backends (docs/server.md).
    expect((await c.req('GET', '/api/models')).status).toBe(200)
    expect((await c.req('GET', '/api/sweeps')).status).toBe(200)
    expect((await c.req('GET', '/api/directions?series=valid/acc&series=train/loss')).body).toEqual({ directions: { 'valid/acc': 'max', 'train/loss': 'min' } })
  })
})
