import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'start-token-for-files-security'
const READER = 'read-only-token-for-files-security'

// A path a remote client sends names a file on ITS machine: the server must never open it.
describe.each(BACKENDS)('mldb server on $name never opens a path sent through the write API', (backend) => {
  async function setup() {
    const fresh = await backend.fresh()
    const dir = tempDir().dir
    const app = createServerApp({ store: fresh.store, artifactsDir: join(dir, 'artifacts'), maxArtifactBytes: 1024, startToken: START })
    await fresh.store.createToken('reader', hashToken(READER), true)
    let seq = 0
    const req = async (method: string, path: string, body?: unknown, token = START) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      let payload: BodyInit | undefined
      if (body instanceof Uint8Array) payload = body as unknown as BodyInit
      else if (body !== undefined) {
        headers['content-type'] = 'application/json'
        payload = JSON.stringify({ client: 'c', seq: ++seq, ...(body as object) })
      }
      return await app.request(path, { method, headers, body: payload })
    }
    expect((await req('POST', '/api/experiments', { name: 'e' })).status).toBe(201)
    return { req, dir }
  }

  it('a recorded /etc/passwd (or any server-side file) is a JSON 404, to every token', async () => {
    const { req, dir } = await setup()
    const secret = join(dir, 'server-secret.txt')
    writeFileSync(secret, 'secret on the server')
    const a = (await (await req('POST', '/api/experiments/e/files', { path: '/etc/passwd', size: 1, mtime: 1 })).json()) as { file: { id: number } }
    const b = (await (await req('POST', '/api/experiments/e/files', { path: secret, size: 20, mtime: 1 })).json()) as { file: { id: number } }
    for (const id of [a.file.id, b.file.id]) {
      for (const token of [START, READER]) {
        const res = await req('GET', `/api/files/${id}`, undefined, token)
        expect([403, 404]).toContain(res.status)
        expect(res.headers.get('content-type')).toMatch(/json/)
        const text = await res.text()
        expect(text).not.toMatch(/root:|secret on the server/)
        expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String) } })
      }
    }
    // The experiment's page does not link the path either.
    const e = (await (await req('GET', '/api/experiments/e')).json()) as { files: { url: string | null; stored: boolean }[] }
    expect(e.files.map((f) => [f.stored, f.url])).toEqual([
      [false, null],
      [false, null],
    ])
  })

  it('a file whose bytes were uploaded to the artifact store still downloads, by its id and its sha256', async () => {
    const { req } = await setup()
    const bytes = new TextEncoder().encode('checkpoint bytes')
    const sha = createHash('sha256').update(bytes).digest('hex')
    expect((await req('PUT', `/api/artifacts/${sha}`, bytes)).status).toBe(201)
    const r = (await (await req('POST', '/api/experiments/e/files', { path: '/etc/passwd', size: bytes.length, mtime: 1, sha256: sha })).json()) as {
      file: { id: number }
    }
    const e = (await (await req('GET', '/api/experiments/e')).json()) as { files: { url: string }[] }
    expect(e.files[0]?.url).toBe(`/api/artifacts/${sha}`)
    const byHash = await req('GET', `/api/artifacts/${sha}`, undefined, READER)
    expect(new Uint8Array(await byHash.arrayBuffer())).toEqual(bytes)
    if (backend.name === 'sqlite') {
      // mldb server on a file also answers /api/files/:id: from the artifact store, never the path.
      const byId = await req('GET', `/api/files/${r.file.id}`, undefined, READER)
      expect(byId.status).toBe(200)
      expect(new Uint8Array(await byId.arrayBuffer())).toEqual(bytes)
    }
  })
})
