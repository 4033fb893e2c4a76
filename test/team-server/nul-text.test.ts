// PostgreSQL's text cannot hold U+0000: a write holding one was a 500 there (database_error,
// which a syncing client retries forever) and a 201 on a SQLite file. The write schemas now
// refuse it on both backends with a 400 naming the field, before anything is written; and a
// NUL that reaches PostgreSQL by a path no schema checks is a 400 too (mapError), not a 500.
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'start-token-for-tests'
const PROBLEM = 'contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it'

describe.each(BACKENDS)('U+0000 in a write on mldb server ($name)', (backend) => {
  async function setup() {
    const fresh = await backend.fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    let seq = 0
    const req = async (method: string, path: string, extra?: Record<string, unknown>) => {
      const body = extra === undefined ? undefined : JSON.stringify({ client: 'c', seq: ++seq, ...extra })
      const res = await app.request(path, { method, headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' }, body })
      return { status: res.status, body: (await res.json()) as { error?: { message: string } } & Record<string, unknown> }
    }
    return { fresh, req }
  }

  it('is a 400 naming the field, one per kind of text, and nothing is written', async () => {
    const { fresh, req } = await setup()
    expect((await req('POST', '/api/experiments', { name: 'e' })).status).toBe(201)
    const NUL = 'a\u0000b'
    const refused: [string, Record<string, unknown>, string][] = [
      ['/api/experiments', { name: 'nat', tags: { k: NUL } }, 'tags.k'],
      ['/api/experiments', { name: NUL }, 'name'],
      ['/api/experiments', { name: 'f', project: NUL }, 'project'],
      ['/api/experiments/e/params', { params: { lr: { deep: [NUL] } } }, 'params.lr.deep.0'],
      ['/api/experiments/e/params', { params: { [NUL]: 1 } }, `params.${NUL}`],
      ['/api/experiments/e/tags', { tags: { [NUL]: 'v' } }, `tags.${NUL}`],
      ['/api/experiments/e/tags', { tags: { team: NUL } }, 'tags.team'],
      ['/api/experiments/e/notes', { notes: NUL }, 'notes'],
      ['/api/experiments/e/status', { status: NUL }, 'status'],
      ['/api/experiments/e/points', { points: [{ name: NUL, step: 0, value: 1 }] }, 'points.0.name'],
      ['/api/experiments/e/points', { points: [{ name: 'loss', split: NUL, step: 0, value: 1 }] }, 'points.0.split'],
      ['/api/experiments/e/files', { path: '/m.pt', size: 1, mtime: 1, meta: { note: NUL } }, 'meta.note'],
    ]
    for (const [path, body, field] of refused) {
      const r = await req('POST', path, body)
      expect(r.status, `${path} ${field}`).toBe(400)
      expect(r.body.error?.message).toBe(`body field "${field}": ${PROBLEM}`)
    }
    const e = (await req('GET', '/api/experiments/e')).body
    expect(e).toMatchObject({ name: 'e', params: {}, tags: {}, notes: '', series: {}, files: [] })
    expect((e.statusHistory as unknown[]).length).toBe(1)
    expect(await fresh.sql('SELECT name FROM experiments')).toEqual([{ name: 'e' }])
  })
})

describe.each(BACKENDS)('U+0000 in a sweep or registry write on mldb server ($name)', (backend) => {
  it('is a 400 naming the field, and the trial is neither claimed nor ended by it', async () => {
    const fresh = await backend.fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    let seq = 0
    const req = async (method: string, path: string, extra?: Record<string, unknown>) => {
      const body = extra === undefined ? undefined : JSON.stringify({ client: 'c', seq: ++seq, ...extra })
      const res = await app.request(path, { method, headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' }, body })
      return { status: res.status, body: (await res.json()) as { error?: { message: string } } & Record<string, unknown> }
    }
    const config = { name: 'sw', method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [0.1, 0.2] } } }
    const nulConfig = await req('POST', '/api/sweeps', { config: { ...config, name: 'a\u0000b' } })
    expect([nulConfig.status, nulConfig.body.error?.message]).toEqual([400, `body field "config.name": ${PROBLEM}`])
    expect((await req('POST', '/api/sweeps', { config })).status).toBe(201)
    const nulHost = await req('POST', '/api/sweeps/sw/claim', { uuid: 'u0', host: 'a\u0000b' })
    expect([nulHost.status, nulHost.body.error?.message]).toEqual([400, `body field "host": ${PROBLEM}`])
    expect((await req('POST', '/api/sweeps/sw/claim', { uuid: 'u1', host: 'h' })).body.trial).toMatchObject({ number: 0 })
    const end = await req('POST', '/api/sweeps/sw/trials/0/end', { status: 'FAILED', note: 'a\u0000b' })
    expect([end.status, end.body.error?.message]).toEqual([400, `body field "note": ${PROBLEM}`])
    const alias = await req('POST', '/api/models/m/aliases', { alias: 'a\u0000b', version: 1 })
    expect([alias.status, alias.body.error?.message]).toEqual([400, `body field "alias": ${PROBLEM}`])
    expect((await req('GET', '/api/sweeps/sw')).body.sweep).toMatchObject({ trials: 1, running: 1, failed: 0 })
  })
})

describe.each(BACKENDS)('U+0000 past the write schemas on mldb server ($name)', (backend) => {
  // A sweep's name in the URL reaches the store unchecked: on PostgreSQL, whose text cannot
  // hold NUL, the safety net (mapError: SQLSTATE 22021 is a ValidationError) makes it a 400,
  // not a 500 a client would retry; a SQLite file has no such sweep (404).
  it('is a 4xx, never a 500', async () => {
    const fresh = await backend.fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    const res = await app.request('/api/sweeps/s%00w/trials/0/heartbeat', { method: 'POST', headers: { authorization: `Bearer ${START}` } })
    const body = (await res.json()) as { error: { message: string } }
    if (backend.name === 'postgres') {
      expect(res.status).toBe(400)
      expect(body.error.message).toMatch(/cannot hold this text .*: a value contains U\+0000 \(NUL\); remove it$/)
    } else {
      expect(res.status).toBe(404)
    }
  })
})
