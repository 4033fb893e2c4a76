import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/tmp.js'

// MLflow's client retries a 500 (and 502-504) several times with backoff: an artifact path the
// server can never store must be a 400 INVALID_PARAMETER_VALUE naming the path, not a 500.
const PROXY = '/api/2.0/mlflow-artifacts/artifacts'

describe('the MLflow artifact proxy answers a path it cannot use with a 400, not a 500', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of cleanups.splice(0)) c()
  })

  function setup() {
    const t = tempDir('mldb-mlflow-paths-')
    const store = new SqliteStore(join(t.dir, 'team.db'))
    cleanups.push(() => {
      void store.close()
      t.cleanup()
    })
    const artifacts = join(t.dir, 'artifacts')
    const app = createServerApp({ store, artifactsDir: artifacts, maxArtifactBytes: 1024, open: true })
    const req = async (method: string, path: string, body?: string) => {
      const res = await app.request(`http://127.0.0.1:5000${path}`, { method, body })
      const text = await res.text()
      return { status: res.status, body: JSON.parse(text) as { error_code?: string; message?: string } }
    }
    return { app, req, root: join(artifacts, 'mlflow') }
  }

  it('bad percent-encoding (%zz) on GET, PUT and DELETE', async () => {
    const s = setup()
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await s.req(method, `${PROXY}/0/%zz`, method === 'PUT' ? 'x' : undefined)
      expect([method, r.status, r.body.error_code]).toEqual([method, 400, 'INVALID_PARAMETER_VALUE'])
      expect(r.body.message).toMatch(/percent-encoding/)
    }
  })

  it('a path longer than the file system takes (a 300-byte name, 6,000 bytes in all)', async () => {
    const s = setup()
    for (const path of [`0/${'b'.repeat(300)}`, `${'a/'.repeat(3000)}f`]) {
      for (const method of ['PUT', 'DELETE']) {
        const r = await s.req(method, `${PROXY}/${path}`, method === 'PUT' ? 'x' : undefined)
        expect([method, r.status, r.body.error_code]).toEqual([method, 400, 'INVALID_PARAMETER_VALUE'])
        expect(r.body.message).toMatch(/too long/)
      }
    }
    expect(existsSync(s.root) ? readdirSync(s.root) : []).toEqual([])
  })

  it('an upload onto a folder, or under a file, says which, and leaves the first file as it was', async () => {
    const s = setup()
    expect((await s.req('PUT', `${PROXY}/0/run/artifacts/model.bin`, 'weights')).status).toBe(200)
    const under = await s.req('PUT', `${PROXY}/0/run/artifacts/model.bin/more.txt`, 'x')
    expect([under.status, under.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    expect(under.body.message).toMatch(/is a file/)
    const onto = await s.req('PUT', `${PROXY}/0/run`, 'x')
    expect([onto.status, onto.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    expect(onto.body.message).toMatch(/is a folder/)
    // nothing to delete under a file: as for a path that is not there
    expect((await s.req('DELETE', `${PROXY}/0/run/artifacts/model.bin/more.txt`)).status).toBe(200)
    // no half-written upload is left beside it
    expect(readdirSync(join(s.root, '0'))).toEqual(['run'])
    expect(readdirSync(join(s.root, '0', 'run', 'artifacts'))).toEqual(['model.bin'])
  })

  it('a DELETE of the folder while an upload into it streams: the upload still lands (was a 500 from its rename)', async () => {
    const s = setup()
    let push: ReadableStreamDefaultController<Uint8Array> | undefined
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = c
      },
    })
    const upload = s.app.request(`http://127.0.0.1:5000${PROXY}/0/run/artifacts/d/model.bin`, {
      method: 'PUT',
      body,
      duplex: 'half',
    } as RequestInit)
    push?.enqueue(new TextEncoder().encode('half of '))
    // the upload is under way once its temporary file is on disk (no clock: wait for the file)
    const partial = () => existsSync(s.root) && readdirSync(s.root, { recursive: true }).some((f) => String(f).endsWith('.mldb-upload'))
    while (!partial()) await new Promise((r) => setImmediate(r))
    const del = await s.req('DELETE', `${PROXY}/0/run/artifacts/d`)
    expect(del.status).toBe(200)
    push?.enqueue(new TextEncoder().encode('the weights'))
    push?.close()
    const res = await upload
    expect([res.status, await res.text()]).toEqual([200, '{}'])
    expect(readFileSync(join(s.root, '0', 'run', 'artifacts', 'd', 'model.bin'), 'utf8')).toBe('half of the weights')
    // the store's listing shows the file, not the uploads in progress
    const list = await s.req('GET', `${PROXY}?path=`)
    expect(list.body).toEqual({ files: [{ path: '0', is_dir: true }] })
  })
})
