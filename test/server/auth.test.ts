import { afterEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

const TOKEN = 's3cret-token'
let t: ReturnType<typeof setupApp>
afterEach(() => t.close())

describe('with a token', () => {
  it('answers 401 JSON without it or with a wrong one', async () => {
    t = setupApp({ token: TOKEN })
    const attempts: (RequestInit | undefined)[] = [undefined, { headers: { authorization: 'Bearer wrong' } }, { headers: { cookie: 'mldb_token=wrong' } }]
    for (const init of attempts) {
      const r = await t.json('/api/health', init)
      expect(r.status).toBe(401)
      expect(r.body.error.code).toBe('unauthorized')
    }
    expect((await t.json('/api/health?token=wrong')).status).toBe(401)
    // the web app and files are behind it too
    expect((await t.app.request('/')).status).toBe(401)
    expect((await t.app.request('/api/files/1')).status).toBe(401)
  })

  it('accepts it as a Bearer header, a query parameter or the cookie', async () => {
    t = setupApp({ token: TOKEN })
    expect((await t.app.request('/api/health', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect((await t.app.request(`/api/health?token=${TOKEN}`)).status).toBe(200)
    expect((await t.app.request('/api/projects', { headers: { cookie: `other=1; mldb_token=${TOKEN}` } })).status).toBe(200)
  })

  it('sets an HttpOnly cookie when the page is loaded with ?token=', async () => {
    t = setupApp({ token: TOKEN })
    const res = await t.app.request(`/experiments/x?token=${TOKEN}`)
    // no web build in the temp dir: 503, but authorised, and the cookie is set for later fetches
    expect(res.status).toBe(503)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(`mldb_token=${TOKEN}`)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const fetched = await t.app.request('/api/health', { headers: { cookie: cookie.split(';')[0] as string } })
    expect(fetched.status).toBe(200)
  })

  it('serves any host name, since the token guards it', async () => {
    t = setupApp({ token: TOKEN })
    expect((await t.app.request('http://gpu-box.lan:5757/api/health', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
  })
})

describe('without a token', () => {
  it('answers requests for loopback host names', async () => {
    t = setupApp()
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      expect((await t.app.request(`http://${host}:5757/api/health`)).status).toBe(200)
    }
  })

  it('refuses other host names (a DNS-rebinding page must not read the API)', async () => {
    t = setupApp()
    const r = await t.json('http://attacker.example:5757/api/experiments')
    expect(r.status).toBe(403)
    expect(r.body.error.message).toMatch(/token/)
  })
})
