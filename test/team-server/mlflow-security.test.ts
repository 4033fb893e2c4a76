import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/tmp.js'

const START = 'start-token-for-tests'
type Body = { error_code?: string; message?: string; error?: unknown } & Record<string, unknown>

describe("mldb server's MLflow routes refuse what they must (security)", () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of cleanups.splice(0)) c()
  })

  async function setup(options: { open?: boolean; maxArtifactBytes?: number } = {}) {
    const t = tempDir('mldb-mlflow-sec-')
    const store = new SqliteStore(join(t.dir, 'team.db'))
    cleanups.push(() => {
      void store.close()
      t.cleanup()
    })
    await store.createToken('dash', hashToken('mldb_dash'), true)
    const artifacts = join(t.dir, 'artifacts')
    const app: Hono = createServerApp({
      store,
      artifactsDir: artifacts,
      maxArtifactBytes: options.maxArtifactBytes ?? 1024,
      ...(options.open ? { open: true } : { startToken: START }),
    })
    const req = async (method: string, path: string, body?: unknown, token: string | null = START, headers: Record<string, string> = {}) => {
      const h: Record<string, string> = { ...headers }
      if (token !== null && !options.open) h.authorization = `Bearer ${token}`
      let payload: BodyInit | undefined
      if (body instanceof Uint8Array) payload = body as unknown as BodyInit
      else if (body !== undefined) {
        h['content-type'] = 'application/json'
        payload = typeof body === 'string' ? body : JSON.stringify(body)
      }
      const res = await app.request(`http://127.0.0.1:5000${path}`, { method, headers: h, body: payload })
      const text = await res.text()
      return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Body }
    }
    const names = async () => {
      const r = await req('POST', '/api/2.0/mlflow/experiments/search', { max_results: 100 })
      return ((r.body.experiments ?? []) as { name: string }[]).map((e) => e.name).sort()
    }
    return { app, req, names, artifacts }
  }

  it('writes answer POST only: a GET with a read-only token, or a cross-site GET, writes nothing', async () => {
    const s = await setup()
    const ro = await s.req('GET', '/api/2.0/mlflow/experiments/create?name=x', undefined, 'mldb_dash')
    expect([ro.status, ro.body.error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND'])
    const full = await s.req('GET', '/ajax-api/2.0/mlflow/experiments/create?name=y')
    expect([full.status, full.body.error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND'])
    expect((await s.req('POST', '/api/2.0/mlflow/experiments/create', { name: 'kept' })).status).toBe(200)
    const del = await s.req('GET', '/api/2.0/mlflow/experiments/delete?experiment_id=1', undefined, 'mldb_dash')
    expect(del.status).toBe(404)
    expect(await s.names()).toEqual(['Default', 'kept'])
    // reads still answer GET
    expect((await s.req('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=kept', undefined, 'mldb_dash')).status).toBe(200)

    const open = await setup({ open: true })
    const cross = await open.req('GET', '/api/2.0/mlflow/experiments/create?name=evil', undefined, null, { 'sec-fetch-site': 'cross-site' })
    expect(cross.status).toBe(404)
    expect(await open.names()).toEqual(['Default'])
  })

  it("a read-only token may POST MLflow's reads (its client searches by POST) but no write", async () => {
    const s = await setup()
    for (const path of ['runs/search', 'experiments/search', 'logged-models/search']) {
      const r = await s.req('POST', `/api/2.0/mlflow/${path}`, { experiment_ids: ['0'] }, 'mldb_dash')
      expect([path, r.status]).toEqual([path, 200])
    }
    const write = await s.req('POST', '/api/2.0/mlflow/experiments/create', { name: 'x' }, 'mldb_dash')
    expect(write.status).toBe(403)
    expect(await s.names()).toEqual(['Default'])
    // still not from another site's page when it is a write
    const cross = await s.req('POST', '/api/2.0/mlflow/experiments/create', { name: 'x' }, START, { 'sec-fetch-site': 'cross-site' })
    expect(cross.status).toBe(403)
  })

  it('LIKE with a pathological pattern answers (linear matching, no backtracking RegExp)', async () => {
    const s = await setup()
    const run = await s.req('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'r' })
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id
    const value = 'a'.repeat(2000)
    expect((await s.req('POST', '/api/2.0/mlflow/runs/set-tag', { run_id: runId, key: 'k', value })).status).toBe(200)
    const search = async (filter: string) => {
      const r = await s.req('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], filter })
      expect(r.status).toBe(200)
      return ((r.body.runs ?? []) as unknown[]).length
    }
    expect(await search(`tags.k LIKE '${'%a'.repeat(30)}!'`)).toBe(0)
    expect(await search(`attributes.run_id LIKE '${'%'.repeat(14)}!'`)).toBe(0)
    expect(await search(`tags.k LIKE '${'%a'.repeat(30)}'`)).toBe(1)
    expect(await search(`tags.k ILIKE 'A_A%A'`)).toBe(1)
    expect(await search(`tags.k LIKE 'a_a%b'`)).toBe(0)
    expect(await search(`tags.k LIKE '${'_'.repeat(2000)}'`)).toBe(1)
    expect(await search(`tags.k LIKE '${'_'.repeat(2001)}'`)).toBe(0)
  })

  it('a tracking body over 32 MiB is a 413 in MLflow error JSON', async () => {
    const s = await setup()
    const big = JSON.stringify({ name: 'x'.repeat(33 * 1024 * 1024) })
    const r = await s.req('POST', '/api/2.0/mlflow/experiments/create', big)
    expect([r.status, r.body.error_code]).toEqual([413, 'INVALID_PARAMETER_VALUE'])
    expect(await s.names()).toEqual(['Default'])
  })

  it('an MLflow artifact upload over --max-artifact-bytes is a 413 and leaves nothing on disk', async () => {
    const s = await setup({ maxArtifactBytes: 1000 })
    const path = '/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model.bin'
    expect((await s.req('PUT', path, new Uint8Array(1000))).status).toBe(200)
    const big = await s.req('PUT', path.replace('model', 'big'), new Uint8Array(1001))
    expect([big.status, big.body.error_code]).toEqual([413, 'INVALID_PARAMETER_VALUE'])
    // chunked: no Content-Length to trust, counted while streaming
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(400))
        c.close()
      },
    })
    const res = await s.app.request(`http://127.0.0.1:5000${path.replace('model', 'streamed')}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${START}` },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(readdirSync(join(s.artifacts, 'mlflow', '0', 'abc', 'artifacts'))).toEqual(['model.bin'])
  })

  it('DELETE of the artifact root (".", "") is a 400 and deletes nothing', async () => {
    const s = await setup()
    const path = '/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model.bin'
    expect((await s.req('PUT', path, new Uint8Array(10))).status).toBe(200)
    for (const p of ['.', '%2E', './', './/.']) {
      const r = await s.req('DELETE', `/api/2.0/mlflow-artifacts/artifacts/${p}`)
      expect([p, r.status, r.body.error_code]).toEqual([p, 400, 'INVALID_PARAMETER_VALUE'])
    }
    expect(existsSync(join(s.artifacts, 'mlflow', '0', 'abc', 'artifacts', 'model.bin'))).toBe(true)
    expect((await s.req('DELETE', path)).status).toBe(200)
    expect(existsSync(join(s.artifacts, 'mlflow', '0', 'abc', 'artifacts', 'model.bin'))).toBe(false)
  })

  it('a 1,000,000-deep JSON tag value is a 400 naming the field, for MLflow and the write API', async () => {
    const s = await setup()
    const run = await s.req('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'r' })
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`
    const r = await s.req('POST', '/api/2.0/mlflow/runs/log-batch', `{"run_id":"${runId}","tags":[{"key":"k","value":${deep}}]}`)
    expect([r.status, r.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    expect(r.body.message).toMatch(/tags/)
    const w = await s.req('POST', '/api/experiments', `{"client":"c","seq":1,"name":"e","params":{"p":${deep}}}`)
    expect(w.status).toBe(400)
    expect(JSON.stringify(w.body)).toMatch(/params/)
    expect((await s.req('GET', '/api/experiments/e')).status).toBe(404)
  })
})
