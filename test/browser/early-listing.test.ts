// The table's listing starts from index.html's inline script, before the bundle
// has loaded, with the very path the app asks for (all projects, one project, a
// filter), and the table shows the rows asked for. (That the app then takes this
// answer instead of asking again is seen in a production build: one listing per
// load. The test build runs React in development, whose StrictMode asks twice.)
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'
import { fillSweep } from './sweep-fixture.js'

let s: DashboardSession
let page: Page
let base: string
let names: string[]

beforeAll(async () => {
  s = await openDashboard('mldb-early-', (dbPath) => {
    names = fillSweep(dbPath)
  })
  ;({ page, base } = s)
})

afterAll(() => s?.close())

/** A listing request: its query, and whether the bundle sent it (not index.html's inline script). */
interface Listing {
  search: string
  fromBundle: boolean
}

/** Opens `hash` afresh, waits for `rows` rows, and returns the listing requests it made. */
async function open(hash: string, rows: number): Promise<Listing[]> {
  const listings: Listing[] = []
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  cdp.on('Network.requestWillBeSent', (e) => {
    const u = new URL(e.request.url)
    if (u.pathname !== '/api/experiments') return
    const frames = e.initiator.stack?.callFrames ?? []
    listings.push({ search: u.search, fromBundle: frames.some((f) => f.url.includes('/assets/')) })
  })
  await page.goto('about:blank')
  await page.goto(`${base}${hash}`)
  await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === rows, 30_000, `${rows} rows for ${hash}`)
  // the live poller's first round: any second listing has been sent by then
  await page.waitForResponse((r) => new URL(r.url()).pathname === '/api/changes', { timeout: 30_000 })
  await cdp.detach()
  return listings
}

/** The listing started early has the path the app asks for, and is the first one sent. */
function startedEarly(listings: Listing[], search: string): void {
  expect(listings.length).toBeGreaterThan(0)
  expect(listings[0]?.fromBundle).toBe(false)
  for (const l of listings) expect(l.search).toBe(search)
}

describe('the first listing of the table', () => {
  it('starts before the bundle, with the path the app asks for', async () => {
    startedEarly(await open('#/?all=1', names.length), '?limit=50000')
    startedEarly(await open('#/?project=iris', names.length), '?project=iris&limit=50000')
    const where = 'params.lr = 0.8'
    startedEarly(await open(`#/?all=1&where=${encodeURIComponent(where)}`, 2), `?${new URLSearchParams({ where, limit: '50000' })}`)
    // the default view (the latest project) needs the projects first: the bundle asks
    const latest = await open('#/', names.length)
    expect(latest.every((l) => l.fromBundle)).toBe(true)
    expect(s.pageErrors).toEqual([])
  })
})
