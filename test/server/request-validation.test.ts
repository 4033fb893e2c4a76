// Each kind of bad request a user can send is a 400 in mldb's own JSON shape,
// with one line naming what is wrong: on `mldb ui` (its PATCH and listings) and
// on `mldb server`'s write API, which share the Hono validators.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/tmp.js'
import { type ErrorBody, expUrl, setupApp } from './helpers.js'

/** `depth` arrays nested in one another, as text (JSON.stringify would recurse). */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

async function errorOf(res: Response): Promise<{ status: number; error: ErrorBody['error'] }> {
  const status = res.status
  return { status, error: ((await res.json()) as ErrorBody).error }
}

describe('mldb ui refuses bad requests with a 400 naming the problem', () => {
  let t: ReturnType<typeof setupApp>
  beforeAll(() => {
    t = setupApp()
    t.db.setExpStatus('e', 'TRAINING')
  })
  afterAll(() => t.close())
  const patch = (body: string, type = 'application/json') => t.app.request(expUrl('e'), { method: 'PATCH', body, headers: { 'content-type': type } })

  it.each([
    ['an unknown query parameter', '/api/experiments?limt=5', 'unknown query parameter "limt"'],
    ['two unknown ones', '/api/experiments/e?x=1&y=2', 'unknown query parameter "x", "y"'],
    ['a non-integer limit', '/api/experiments?limit=1.5', 'query parameter "limit": expected an integer'],
    ['a limit out of range', '/api/experiments?limit=0', 'query parameter "limit": Too small'],
    ['a missing required parameter', '/api/changes', 'query parameter "since"'],
  ])('%s', async (_what, url, message) => {
    const r = await errorOf(await t.app.request(url))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request' } })
    expect(r.error.message).toContain(message)
  })

  it('takes the token parameter without calling it unknown', async () => {
    expect((await t.app.request('/api/experiments?token=x&limit=1')).status).toBe(200)
  })

  it('a malformed JSON body, saying where JSON.parse stopped', async () => {
    const r = await errorOf(await patch('{"notes": "x",'))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request' } })
    expect(r.error.message).toMatch(/^the body is not valid JSON: .*JSON/)
  })

  it.each([
    ['form', 'application/x-www-form-urlencoded'],
    ['text', 'text/plain'],
  ])('a body sent as %s, naming the content type to use', async (_what, type) => {
    const r = await errorOf(await patch('{"notes":"x"}', type))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request' } })
    expect(r.error.message).toBe(`send the body as JSON with "Content-Type: application/json" (got "${type}")`)
    expect(t.db.getNotes('e')).toBe('')
  })

  it('a body nested too deep, naming the field and the limit', async () => {
    const r = await errorOf(await patch(`{"tags": ${nested(500)}}`))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request', message: 'body field "tags" is nested deeper than 100 levels' } })
  })

  it('a field of the wrong type, naming it', async () => {
    const r = await errorOf(await patch('{"notes": 5}'))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request' } })
    expect(r.error.message).toMatch(/^body field "notes": /)
  })

  it('accepts a JSON content type with a charset', async () => {
    const res = await patch('{"notes":"kept"}', 'application/json; charset=utf-8')
    expect(res.status).toBe(200)
    expect(t.db.getNotes('e')).toBe('kept')
  })
})

describe("mldb server's write API refuses bad bodies the same way", () => {
  const { dir, cleanup } = tempDir('mldb-validation-')
  const store = new SqliteStore(join(dir, 'runs.db'))
  const app = createServerApp({ store, artifactsDir: join(dir, 'artifacts'), maxArtifactBytes: 1024, open: true })
  afterAll(() => {
    store.close()
    cleanup()
  })
  const post = (path: string, body: string, type = 'application/json') => app.request(path, { method: 'POST', body, headers: { 'content-type': type } })

  it.each([
    ['malformed JSON', '/api/experiments', '{"client":"c",', 'application/json', /^the body is not valid JSON: /],
    ['a wrong content type', '/api/experiments', '{"client":"c","seq":1,"name":"e"}', 'text/plain', /^send the body as JSON/],
    [
      'a deep points batch',
      '/api/experiments/e/points',
      `{"client":"c","seq":2,"points":${nested(200)}}`,
      'application/json',
      /^body field "points" is nested deeper than 100 levels$/,
    ],
    ['malformed JSON in a points batch', '/api/experiments/e/points', '{"client":"c","seq":2,"points":[', 'application/json', /^the body is not valid JSON: /],
    ['an unknown body field', '/api/experiments', '{"client":"c","seq":1,"name":"e","nmae":"x"}', 'application/json', /^unknown body field "nmae"$/],
  ])('%s', async (_what, path, body, type, message) => {
    const r = await errorOf(await post(path, body, type))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request', message: expect.stringMatching(message) } })
  })

  it('an unknown query parameter on a read route', async () => {
    const r = await errorOf(await app.request('/api/experiments?limt=5'))
    expect(r).toMatchObject({ status: 400, error: { code: 'bad_request', message: 'unknown query parameter "limt"' } })
  })

  it('still takes a well-formed points batch by its fast path', async () => {
    expect((await post('/api/experiments', '{"client":"c","seq":1,"name":"e"}')).status).toBe(201)
    const res = await post(
      '/api/experiments/e/points',
      '{"client":"c","seq":2,"points":[{"name":"loss","step":0,"value":"NaN"},{"name":"loss","step":1,"value":0.5}]}',
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, points: 2 })
  })
})
