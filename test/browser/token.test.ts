// The dashboard's token and framing rules in a real browser: the printed URL
// signs the browser in and leaves a clean address bar; without it a page says
// where the token is; a page on another port of the same host (same-site, so
// SameSite=Strict cookies still go along) can neither frame the dashboard nor
// write through it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { startUi } from '../../src/server/start.js'
import { ensureWebBuilt, launchBrowser, tempDir, waitFor } from './helpers.js'

let tmp: ReturnType<typeof tempDir>
let dbPath: string
let ui: Awaited<ReturnType<typeof startUi>>
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let other: Server
let otherBase: string

beforeAll(async () => {
  ensureWebBuilt()
  tmp = tempDir('mldb-token-')
  dbPath = join(tmp.dir, 'runs.db')
  const db = new Database({ path: dbPath })
  db.setExpStatus('guarded', 'COMPLETE')
  db.setNotes('guarded', 'original')
  db.close()
  ui = await startUi({ dbPath, port: 0, host: '127.0.0.1' })
  // Another local user's page, on another port of the same host.
  other = createServer((req, res) => {
    const dash = `http://127.0.0.1:${ui.port}`
    const html =
      req.url === '/frame'
        ? `<iframe id="f" src="${dash}/" width="600" height="400"></iframe>`
        : `<form id="f" method="POST" action="${dash}/api/experiments/guarded" enctype="text/plain"><input name='{"notes":"pwned","x":"' value='"}'></form>`
    res.writeHead(200, { 'content-type': 'text/html' }).end(html)
  })
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
  browser = await launchBrowser()
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await ui?.close()
  other?.close()
  tmp?.remove()
})

describe('the token in chromium', () => {
  it('without it, the page says where to find it', async () => {
    const res = await page.goto(`http://127.0.0.1:${ui.port}/`)
    expect(res?.status()).toBe(401)
    expect(await page.locator('h1').textContent()).toMatch(/needs its token/)
  })

  it('the printed URL signs in, lands on the clean URL and keeps the token out of scripts', async () => {
    await page.goto(ui.url)
    expect(page.url()).toBe(`http://127.0.0.1:${ui.port}/`)
    await page.locator('[data-testid="exp-row"]').first().waitFor({ timeout: 30_000 })
    expect(await page.evaluate(() => document.cookie)).toBe('') // HttpOnly
    const cookies = await browser.context.cookies()
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([[`mldb_token_${ui.port}`, true, 'Strict']])
  })

  it('a page on another port cannot frame the dashboard', async () => {
    await page.goto(`${otherBase}/frame`)
    const frame = (await waitFor(() => page.frames().find((f) => f !== page.mainFrame()), 30_000, 'the iframe')) as Frame
    await frame.waitForLoadState('load')
    // the browser refused the response and shows its error page in the frame instead
    expect(frame.url()).toMatch(/^chrome-error:/)
  })

  it('a page on another port cannot write, though the browser sends the cookie along', async () => {
    await page.goto(`${otherBase}/form`)
    const response = page.waitForResponse((r) => r.url().includes('/api/experiments/guarded'))
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit())
    expect((await response).status()).toBe(403)
    const db = new Database({ path: dbPath, readonly: true })
    expect(db.getExperiment('guarded').notes).toBe('original')
    db.close()
  })
})
