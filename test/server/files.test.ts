import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

// The PNG signature and an IHDR start: what matters is that the bytes come back unchanged.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 255])
const SECRET = 'secret: do not serve'

let t: ReturnType<typeof setupApp>
let secret: string
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('exp', 'COMPLETE')
  secret = join(t.dir, 'secret.txt')
  writeFileSync(secret, SECRET)
})
afterEach(() => t.close())

function record(rel: string, content: Buffer | string, kind: 'image' | 'model' = 'image'): { id: number; path: string } {
  const path = join(t.dir, rel)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content)
  return t.db.addFile('exp', path, { kind })
}

describe('GET /api/files/:id', () => {
  it('serves a recorded png with its bytes and type', async () => {
    const { id } = record('plots/confusion.png', PNG)
    const res = await t.app.request(`/api/files/${id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  })

  it('sandboxes svg and sends other files as downloads', async () => {
    const svg = record('plot.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const svgRes = await t.app.request(`/api/files/${svg.id}`)
    expect(svgRes.headers.get('content-type')).toBe('image/svg+xml')
    expect(svgRes.headers.get('content-security-policy')).toBe("sandbox; frame-ancestors 'none'")
    await svgRes.arrayBuffer()

    const jpg = record('photo.JPEG', 'jpeg bytes')
    const jpgRes = await t.app.request(`/api/files/${jpg.id}`)
    expect(jpgRes.headers.get('content-type')).toBe('image/jpeg')
    await jpgRes.arrayBuffer()

    const model = record('model weights.html', '<script>alert(1)</script>', 'model')
    const res = await t.app.request(`/api/files/${model.id}`)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="model_weights.html"')
    expect(await res.text()).toBe('<script>alert(1)</script>')
  })

  it('answers 404 for an id the database does not point to, and 400 for a non-id', async () => {
    const r = await t.json('/api/files/999')
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('not_found')
    for (const url of ['/api/files/..%2Fsecret.txt', `/api/files/${encodeURIComponent(secret)}`, '/api/files/1.0', '/api/files/-1']) {
      const res = await t.app.request(url)
      expect(res.status).toBe(400)
      expect(await res.text()).not.toContain(SECRET)
    }
  })

  it('never serves a path given in the URL', async () => {
    record('a.png', PNG)
    for (const url of ['/api/files/1/../../secret.txt', `/api/files/..${secret}`, `/api/files/1/..%2F..%2Fsecret.txt`, `/../../..${secret}`]) {
      const res = await t.app.request(url)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(await res.text()).not.toContain(SECRET)
    }
  })

  it('refuses a recorded file replaced by a symlink after recording', async () => {
    const { id, path } = record('plot.png', PNG)
    rmSync(path)
    symlinkSync(secret, path)
    const r = await t.json(`/api/files/${id}`)
    expect(r.status).toBe(403)
    expect(r.body.error.code).toBe('forbidden')
    expect(r.body.error.message).toMatch(/symbolic link/)
  })

  it('refuses a recorded file whose folder became a symlink', async () => {
    const { id } = record('run/plot.png', PNG)
    const elsewhere = join(t.dir, 'elsewhere')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 'plot.png'), SECRET)
    renameSync(join(t.dir, 'run'), join(t.dir, 'run-old'))
    symlinkSync(elsewhere, join(t.dir, 'run'))
    const res = await t.app.request(`/api/files/${id}`)
    expect(res.status).toBe(403)
    expect(await res.text()).not.toContain(SECRET)
  })

  it('answers 404 when the file is gone or its experiment is in the trash', async () => {
    const gone = record('gone.png', PNG)
    rmSync(gone.path)
    const r = await t.json(`/api/files/${gone.id}`)
    expect(r.status).toBe(404)
    expect(r.body.error.message).toMatch(/missing on disk/)

    const kept = record('kept.png', PNG)
    const before = await t.app.request(`/api/files/${kept.id}`)
    expect(before.status).toBe(200)
    await before.arrayBuffer()
    t.db.trashExperiment('exp')
    expect((await t.app.request(`/api/files/${kept.id}`)).status).toBe(404)
  })
})
