// Every route the OpenAPI document of `mldb server` lists is served, on both backends:
// a client generated from /api/openapi.json never calls a route that does not exist.
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'openapi-test-token'

describe.each(BACKENDS)('/api/openapi.json on $name', (backend) => {
  it('lists only routes the server answers', async () => {
    const fresh = await backend.fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    const headers = { authorization: `Bearer ${START}` }
    const doc = (await (await app.request('/api/openapi.json', { headers })).json()) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20)
    for (const [template, methods] of Object.entries(doc.paths)) {
      const path = template.replace('{sha256}', '0'.repeat(64)).replace(/\{[a-z0-9]+\}/g, '1')
      for (const method of Object.keys(methods)) {
        const res = await app.request(path, {
          method: method.toUpperCase(),
          headers: { ...headers, 'content-type': 'application/json' },
          ...(method === 'get' ? {} : { body: '{}' }),
        })
        const text = await res.text()
        // 400 (a bad body), 404 (no such experiment) and the like are answers; "no API route" is not
        expect(text, `${method.toUpperCase()} ${template}`).not.toContain('no API route')
        expect(res.status, `${method.toUpperCase()} ${template}: ${text}`).toBeLessThan(500)
      }
    }
  })
})
