// One dashboard session for a browser test file: a temp dir holding runs.db,
// filled by the test, served by `mldb ui`'s startUi, and a signed-in chromium
// page that records uncaught page errors. Each test file opened (and closed)
// these six steps itself; they live here so a change to them is made once.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startUi } from '../../src/server/start.js'
import { ensureWebBuilt, launchBrowser, signIn, tempDir } from './helpers.js'

/** An open dashboard: its database, server, browser and one signed-in page. */
export interface DashboardSession {
  /** The temp dir (removed by close()). */
  dir: string
  /** The database file in dir, `runs.db`. */
  dbPath: string
  /** The clean dashboard URL, ending in '/'. */
  base: string
  /** A page of the signed-in browser. */
  page: Page
  /** Messages of the uncaught errors `page` has thrown so far. */
  pageErrors: string[]
  /** Closes the browser and the server, then removes dir. */
  close: () => Promise<void>
}

/**
 * Builds the web bundle if needed, fills a fresh runs.db with `fill`, starts
 * the dashboard on it and signs chromium in.
 *
 * @example
 *   let s: DashboardSession
 *   beforeAll(async () => {
 *     s = await openDashboard('mldb-models-', (dbPath) => fill(dbPath), { width: 1400, height: 900 })
 *   })
 *   afterAll(() => s?.close())
 */
export async function openDashboard(
  prefix: string,
  fill: (dbPath: string, dir: string) => void | Promise<void>,
  viewport?: { width: number; height: number },
): Promise<DashboardSession> {
  ensureWebBuilt()
  const tmp = tempDir(prefix)
  const dbPath = join(tmp.dir, 'runs.db')
  let ui: Awaited<ReturnType<typeof startUi>> | undefined
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined
  const close = async () => {
    await browser?.close()
    await ui?.close()
    tmp.remove()
  }
  try {
    await fill(dbPath, tmp.dir)
    ui = await startUi({ dbPath, port: 0, host: '127.0.0.1' })
    browser = await launchBrowser(viewport)
    const base = await signIn(browser.context, ui.url)
    const page = await browser.context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    return { dir: tmp.dir, dbPath, base, page, pageErrors, close }
  } catch (e) {
    // a failed open leaves no server, browser or temp dir behind
    await close()
    throw e
  }
}
