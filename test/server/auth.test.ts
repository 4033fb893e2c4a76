import { afterEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

const TOKEN = 's3cret-token'
/** app.request URLs have no port: the cookie is named for 80. */
const COOKIE = 'mldb_token_80'
let t: ReturnType<typeof setupApp>
afterEach(() => t.close())

describe('with a token', () => {
  it('answers 401 JSON without it or with a wrong one', async () => {
    t = setupApp({ token: TOKEN })
    const attempts: (RequestInit | undefined)[] = [
      undefined,
      { headers: { authorization: 'Bearer wrong' } },
      { headers: { cookie: `${COOKIE}=wrong` } },
      // the cookie of a dashboard on another port is not this one's
      { headers: { cookie: `mldb_token_5757=${TOKEN}` } },
      { headers: { cookie: `mldb_token=${TOKEN}` } },
    ]
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

  it('shows a browser a page that says where the token is', async () => {
    t = setupApp({ token: TOKEN })
    const res = await t.app.request('/experiments/x', { headers: { accept: 'text/html,*/*' } })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(await res.text()).toContain('?token=')
  })

  it('accepts it as a Bearer header, a query parameter of an API call or the cookie', async () => {
    t = setupApp({ token: TOKEN })
    expect((await t.app.request('/api/health', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect((await t.app.request(`/api/health?token=${TOKEN}`)).status).toBe(200)
    expect((await t.app.request('/api/projects', { headers: { cookie: `other=1; ${COOKIE}=${TOKEN}` } })).status).toBe(200)
  })

  it('a page loaded with ?token= gets a port-scoped HttpOnly cookie and a redirect to the clean URL', async () => {
    t = setupApp({ token: TOKEN })
    const res = await t.app.request(`http://127.0.0.1:5858/experiments/x?a=1&token=${TOKEN}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/experiments/x?a=1')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^mldb_token_5858=${TOKEN};`))
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\//i)
    const pair = cookie.split(';')[0] as string
    expect((await t.app.request('http://127.0.0.1:5858/api/health', { headers: { cookie: pair } })).status).toBe(200)
    // another port on the same host: the browser sends the cookie, the server ignores it
    expect((await t.app.request('http://127.0.0.1:5859/api/health', { headers: { cookie: pair } })).status).toBe(401)
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
    const byHeader = await t.json('http://127.0.0.1:5757/api/experiments', { headers: { host: 'attacker.example:5757' } })
    expect(byHeader.status).toBe(403)
  })
})

describe('every response', () => {
  it('forbids framing, keeping a route’s own policy', async () => {
    t = setupApp({ token: TOKEN })
    for (const url of ['/api/health', `/api/health?token=${TOKEN}`, '/', '/api/nothing']) {
      const res = await t.app.request(url)
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    }
  })
})

describe('writes from another site', () => {
  const patch = (headers: Record<string, string>) => ({
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ notes: 'written' }),
  })
  const url = 'http://127.0.0.1:5757/api/experiments/e'

  it('are refused by Sec-Fetch-Site or Origin, and nothing is written', async () => {
    t = setupApp({ token: TOKEN })
    t.db.setExpStatus('e', 'COMPLETE')
    const refused: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      // another port of the same host is "same-site", and still another origin
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: 'http://127.0.0.1:8888' },
      { origin: 'null' },
      { origin: 'http://127.0.0.1:5757', 'sec-fetch-site': 'cross-site' },
    ]
    for (const headers of refused) {
      const r = await t.json(url, patch(headers))
      expect(r.status, JSON.stringify(headers)).toBe(403)
      expect(r.body.error.code).toBe('forbidden')
    }
    expect(t.db.getExperiment('e').notes ?? '').toBe('')
  })

  it('from the page itself, or from a client that is not a browser, go through', async () => {
    t = setupApp({ token: TOKEN })
    t.db.setExpStatus('e', 'COMPLETE')
    expect((await t.app.request(url, patch({ origin: 'http://127.0.0.1:5757', 'sec-fetch-site': 'same-origin' }))).status).toBe(200)
    expect((await t.app.request(url, patch({}))).status).toBe(200)
    expect(t.db.getExperiment('e').notes).toBe('written')
  })

  it('reads stay allowed (a cross-site image or link is harmless without the cookie)', async () => {
    t = setupApp({ token: TOKEN })
    const res = await t.app.request('/api/health', { headers: { authorization: `Bearer ${TOKEN}`, 'sec-fetch-site': 'cross-site' } })
    expect(res.status).toBe(200)
  })
})
