// The hyperparameter page at 10,000 runs in chromium: plots as wide as their
// card, axis labels above the axes and over the lines, a log axis chosen by the
// data's span (and switchable), param importance, and a cap that says so.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

const RUNS = 10_000
const LRS = [0.0001, 0.0003, 0.001, 0.003]

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]

/** RUNS runs over four learning rates, in one transaction. */
function fill(dbPath: string): void {
  const db = new Database({ path: dbPath })
  const write = db.sqlite.transaction(() => {
    for (let e = 0; e < RUNS; e++) {
      const name = `hp-${String(e).padStart(5, '0')}`
      const lr = LRS[e % 4] as number
      db.setExpStatus(name, 'COMPLETE', { project: 'hp' })
      db.setParams(name, { lr, hidden: 32 << (e % 3), optimizer: e % 2 ? 'sgd' : 'adam', seed: e })
      // loss rises with lr; hidden and optimizer barely matter
      db.logBatch(name, [{ name: 'loss', split: 'valid', step: 0, value: 0.2 + 100 * lr + 0.001 * (e % 7) }])
    }
  })
  write()
  db.close()
}

beforeAll(async () => {
  s = await openDashboard('mldb-hp10k-', fill, { width: 1400, height: 900 })
  ;({ page, base, pageErrors } = s)
}, 300_000)

afterAll(() => s?.close())

const axis = (key: string) => page.locator(`[data-testid="pc-axis"][data-key="${key}"]`)

describe('the hyperparameter page at 10,000 runs', () => {
  it('while the listing loads, says no count made of only the runs the live poller brought', async () => {
    // 3,500 runs changed just now reach the page through the live poller (it asks for the last
    // 5 s) before the slowed listing of all 10,000 arrives; a cap then read "best 3,000 of 3,500".
    await new Promise((r) => setTimeout(r, 5500)) // the fill itself falls out of that window
    const db = new Database({ path: s.dbPath })
    db.sqlite.transaction(() => {
      for (let e = 0; e < 3500; e++) db.setTags(`hp-${String(e).padStart(5, '0')}`, { seen: 'yes' })
    })()
    db.close()
    const counts: string[] = []
    await page.route('**/api/experiments?*', async (route) => {
      await new Promise((r) => setTimeout(r, 3000))
      await route.continue()
    })
    try {
      await page.goto(`${base}#/hparams?metric=valid/loss`)
      const cap = page.locator('[data-testid="hp-cap"]')
      for (let i = 0; i < 40 && (await page.locator('.page-head .muted').textContent()) === 'loading…'; i++) {
        if ((await cap.count()) > 0) counts.push((await cap.textContent()) ?? '')
        await new Promise((r) => setTimeout(r, 100))
      }
      await cap.waitFor({ timeout: 60_000 })
      counts.push((await cap.textContent()) ?? '')
    } finally {
      await page.unroute('**/api/experiments?*')
    }
    expect(counts.filter((c) => !c.includes('best 3,000 of 10,000'))).toEqual([])
  })

  it('says it shows the best 3,000 and offers the filter to narrow', async () => {
    await page.goto(`${base}#/hparams?metric=valid/loss`)
    const cap = page.locator('[data-testid="hp-cap"]')
    await cap.waitFor({ timeout: 60_000 })
    expect(await cap.textContent()).toContain('best 3,000 of 10,000')
    expect(await page.locator('[data-testid="filter-input"]').count()).toBe(1)
    expect(await page.locator('[data-testid="parallel-coords"] polyline').count()).toBe(3000)
  })

  it('draws the plots as wide as their card, labels above the axes and over the lines', async () => {
    const svg = page.locator('[data-testid="parallel-coords"]')
    const card = await svg.locator('xpath=..').boundingBox()
    const box = await svg.boundingBox()
    expect(box && card && box.width > card.width - 40).toBe(true)
    expect(box?.width ?? 0).toBeGreaterThan(900)
    const scatter = await page.locator('[data-testid="scatter"]').boundingBox()
    expect(scatter?.width ?? 0).toBeGreaterThan(1200)
    // every title sits above its axis line, and the axes come after the lines (drawn on top)
    for (const key of ['lr', 'hidden', 'optimizer', 'seed']) {
      const title = await axis(key).locator('[data-testid="pc-axis-title"]').boundingBox()
      const line = await axis(key).locator('line').first().boundingBox()
      expect(title && line && title.y + title.height <= line.y).toBe(true)
    }
    expect(
      await svg.evaluate((el) => {
        const kids = Array.from(el.children)
        return kids.findIndex((k) => k.classList.contains('lines')) < kids.findIndex((k) => k.getAttribute('data-testid') === 'pc-axis')
      }),
    ).toBe(true)
    await page.screenshot({ path: join(SCREENSHOTS, 'hparams-10k.png') })
  })

  it('ranks the param the metric follows first in importance', async () => {
    const rows = await page.locator('[data-testid="importance-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))
    expect(rows[0]).toBe('lr')
    expect(rows).toContain('optimizer')
  })

  it('narrowed to 8 runs: no cap, lr on a log axis (a 30× span), switchable to linear', async () => {
    await page.fill('[data-testid="filter-input"]', 'params.seed < 8')
    await page.press('[data-testid="filter-input"]', 'Enter')
    await waitFor(async () => (await page.locator('[data-testid="parallel-coords"] polyline').count()) === 8, 30_000, '8 lines')
    expect(await page.locator('[data-testid="hp-cap"]').count()).toBe(0)
    expect(await axis('lr').getAttribute('data-log')).toBe('1')
    // seed 0..7 spans no decade from a zero: linear
    expect(await axis('seed').getAttribute('data-log')).toBe('0')
    await axis('lr').locator('[data-testid="pc-axis-title"]').click()
    await waitFor(async () => (await axis('lr').getAttribute('data-log')) === '0', 10_000, 'linear lr')
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).getAll('scale')).toEqual(['lr:lin'])
    expect(pageErrors).toEqual([])
  })
})
