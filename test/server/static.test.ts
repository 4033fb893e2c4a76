import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultWebRoot } from '../../src/server/static.js'
import { setupApp } from './helpers.js'

let t: ReturnType<typeof setupApp>
afterEach(() => t.close())

/** An app whose web root is a small fake build, next to a file it must never serve. */
function withBuild() {
  t = setupApp({
    webRoot: (dir) => {
      const web = join(dir, 'dist')
      mkdirSync(join(web, 'assets'), { recursive: true })
      writeFileSync(join(web, 'index.html'), '<!doctype html><div id="root"></div>')
      writeFileSync(join(web, 'assets', 'app-abc123.js'), 'console.log(1)')
      writeFileSync(join(dir, 'outside.txt'), 'outside the build')
      return web
    },
  })
}

describe('the web app', () => {
  it('serves index.html, fingerprinted assets and the SPA fallback', async () => {
    withBuild()
    const index = await t.app.request('/')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toContain('text/html')
    expect(await index.text()).toContain('id="root"')

    const asset = await t.app.request('/assets/app-abc123.js')
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(await asset.text()).toBe('console.log(1)')

    const deep = await t.app.request('/experiments/sweep-1.v2', { headers: { accept: 'text/html' } })
    expect(deep.status).toBe(200)
    expect(await deep.text()).toContain('id="root"')
    expect((await t.app.request('/compare')).status).toBe(200)

    const missing = await t.json('/assets/gone-123.js')
    expect(missing.status).toBe(404)
  })

  it('never serves a file outside the build', async () => {
    withBuild()
    for (const url of ['/..%2Foutside.txt', '/assets/..%2F..%2Foutside.txt', '/%2e%2e/outside.txt']) {
      const res = await t.app.request(url)
      expect(await res.text()).not.toContain('outside the build')
    }
  })

  it('answers 503 telling to build when web/dist is missing', async () => {
    t = setupApp()
    const r = await t.json('/')
    expect(r.status).toBe(503)
    expect(r.body.error.message).toMatch(/npm run build/)
    // the API does not depend on the build
    expect((await t.app.request('/api/health')).status).toBe(200)
  })

  it('finds web/dist at the package root by default', () => {
    expect(defaultWebRoot()).toBe(join(import.meta.dirname, '..', '..', 'web', 'dist'))
  })
})
