// A compressed JSON body (Content-Encoding: gzip, as some HTTP libraries send by
// default) is not decoded by mldb: the answer says so, instead of a JSON.parse
// error quoting the gzip header's bytes ("Unexpected token '\u001f'").
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ErrorBody, expUrl, setupApp } from './helpers.js'

describe('a compressed JSON body is refused by name', () => {
  let t: ReturnType<typeof setupApp>
  beforeAll(() => {
    t = setupApp()
    t.db.setExpStatus('e', 'TRAINING')
  })
  afterAll(() => t.close())

  it.each(['gzip', 'br', 'deflate, gzip'])('Content-Encoding: %s is a 415 naming it, and nothing is written', async (encoding) => {
    const res = await t.app.request(expUrl('e'), {
      method: 'PATCH',
      body: gzipSync(JSON.stringify({ notes: 'zipped' })),
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    })
    expect(res.status).toBe(415)
    const { error } = (await res.json()) as ErrorBody
    expect(error.message).toBe(`the body is sent with "Content-Encoding: ${encoding}"; mldb takes JSON bodies uncompressed`)
    expect(t.db.getExperiment('e').notes).toBe('')
  })

  it('identity is no compression', async () => {
    const res = await t.app.request(expUrl('e'), {
      method: 'PATCH',
      body: JSON.stringify({ notes: 'plain' }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    })
    expect(res.status).toBe(200)
  })
})
