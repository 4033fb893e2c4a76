import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/tmp.js'

// mldb keeps params and tags in JavaScript objects, where "__proto__" is no key but the
// prototype: such a key was dropped with a 200 (the write half done). Keys that are names of
// Object.prototype ("constructor", "toString") are ordinary keys and must stay so.
type Body = { error?: { message?: string }; error_code?: string; message?: string } & Record<string, unknown>

describe('a param or tag named __proto__ is refused with a 400 naming it, not dropped', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of cleanups.splice(0)) c()
  })

  function setup() {
    const t = tempDir('mldb-proto-keys-')
    const store = new SqliteStore(join(t.dir, 'team.db'))
    cleanups.push(() => {
      void store.close()
      t.cleanup()
    })
    const app = createServerApp({ store, artifactsDir: join(t.dir, 'artifacts'), maxArtifactBytes: 1024, open: true })
    const req = async (method: string, path: string, body?: string | object) => {
      const res = await app.request(`http://127.0.0.1:5000${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as Body }
    }
    return { req }
  }

  it('the write API and the dashboard PATCH: 400 naming the field, nothing written', async () => {
    const s = setup()
    // JSON text, not an object literal: JSON.parse makes "__proto__" an own key, as any client sends it
    const create = await s.req('POST', '/api/experiments', '{"client":"c","seq":1,"name":"e","params":{"__proto__":1,"lr":0.1}}')
    expect(create.status).toBe(400)
    expect(create.body.error?.message).toMatch(/params\.__proto__/)
    expect((await s.req('GET', '/api/experiments/e')).status).toBe(404)
    expect((await s.req('POST', '/api/experiments', { client: 'c', seq: 1, name: 'e' })).status).toBe(201)
    for (const [path, text] of [
      ['/api/experiments/e/params', '{"client":"c","seq":2,"params":{"__proto__":5}}'],
      ['/api/experiments/e/tags', '{"client":"c","seq":3,"tags":{"__proto__":"x","a":"b"}}'],
      ['/api/experiments/e/files', '{"client":"c","seq":4,"path":"/m.pt","size":1,"mtime":1,"meta":{"__proto__":{}}}'],
    ] as const) {
      const r = await s.req('POST', path, text)
      expect([path, r.status]).toEqual([path, 400])
      expect(r.body.error?.message).toMatch(/__proto__/)
    }
    const patch = await s.req('PATCH', '/api/experiments/e', '{"tags":{"__proto__":"x","a":"b"}}')
    expect([patch.status, patch.body.error?.message]).toEqual([400, expect.stringMatching(/tags\.__proto__/)])
    const e = await s.req('GET', '/api/experiments/e')
    expect([e.body.params, e.body.tags]).toEqual([{}, {}])
    // names of Object.prototype's members are ordinary names
    expect((await s.req('POST', '/api/experiments/e/params', { client: 'c', seq: 5, params: { constructor: 2, toString: 's' } })).status).toBe(200)
    expect((await s.req('GET', '/api/experiments/e')).body.params).toEqual({ constructor: 2, toString: 's' })
  })

  it("MLflow's routes: __proto__ is INVALID_PARAMETER_VALUE; constructor and toString are params like any other", async () => {
    const s = setup()
    const run = await s.req('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'r' })
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id
    for (const [path, body] of [
      ['/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: '__proto__', value: '1' }],
      ['/api/2.0/mlflow/runs/set-tag', { run_id: runId, key: '__proto__', value: 't' }],
      ['/api/2.0/mlflow/runs/log-batch', { run_id: runId, params: [{ key: 'ok', value: '1' }], tags: [{ key: '__proto__', value: 't' }] }],
      ['/api/2.0/mlflow/registered-models/create', { name: 'm', tags: [{ key: '__proto__', value: 'v' }] }],
      ['/api/2.0/mlflow/experiments/set-experiment-tag', { experiment_id: '0', key: '__proto__', value: 'v' }],
    ] as const) {
      const r = await s.req('POST', path, body)
      expect([path, r.status, r.body.error_code]).toEqual([path, 400, 'INVALID_PARAMETER_VALUE'])
      expect(r.body.message).toMatch(/__proto__/)
    }
    // was: "Changing param values is not allowed ... already logged with value='undefined'"
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      const r = await s.req('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key, value: '1' })
      expect([key, r.status, r.body.message]).toEqual([key, 200, undefined])
    }
    const got = await s.req('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)
    const params = (got.body.run as { data: { params: { key: string }[] } }).data.params.map((p) => p.key).sort()
    expect(params).toEqual(['constructor', 'hasOwnProperty', 'toString'])
    expect((await s.req('POST', '/api/2.0/mlflow/registered-models/get', { name: 'm' })).status).toBe(404)
  })
})
