// A chart of 12 runs (24 lines: train and valid) in chromium: every line of the
// legend can be reached and named by a user, none is cut off below the card.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

const RUNS = 12
const names = Array.from({ length: RUNS }, (_, i) => `20261126_1328${String(i).padStart(2, '0')}_mlp-h${16 << (i % 3)}-lr${(i + 1) / 100}`)

let s: DashboardSession
let page: Page
let base: string

beforeAll(async () => {
  s = await openDashboard(
    'mldb-legend-',
    (dbPath) => {
      const db = new Database({ path: dbPath })
      names.forEach((name, i) => {
        db.setExpStatus(name, 'TRAINING', { project: 'legend' })
        const points = []
        for (let step = 0; step < 50; step++) {
          const v = 0.1 + Math.exp(-step * (i + 1) * 0.01)
          points.push({ name: 'loss', split: 'train', step, value: v })
          points.push({ name: 'loss', split: 'valid', step, value: v + 0.05 })
        }
        db.logBatch(name, points)
        db.setExpStatus(name, 'COMPLETE')
      })
      db.close()
    },
    { width: 1400, height: 860 },
  )
  ;({ page, base } = s)
})

afterAll(() => s?.close())

describe('the legend of a 12-run chart', () => {
  it('lets a user reach and identify every one of its 24 lines', async () => {
    await page.goto(`${base}#/charts?${names.map((n) => `exp=${encodeURIComponent(n)}`).join('&')}`)
    const loss = page.locator('[data-testid="chart"][data-series="loss"]')
    await loss.locator('.uplot[data-drawn]').waitFor({ timeout: 30_000 })
    const items = loss.locator('[data-testid="legend-item"]')
    await waitFor(async () => (await items.count()) === RUNS * 2, 10_000, 'every line in the legend')
    // what the legend shows at first: whole lines only, and a count of the rest that opens them
    const clip = () =>
      loss.locator('[data-testid="chart-legend"]').evaluate((box) => {
        const b = box.getBoundingClientRect()
        return Array.from(box.children).map((el) => {
          const r = el.getBoundingClientRect()
          return r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5 ? 'shown' : r.top >= b.bottom - 0.5 ? 'hidden' : 'cut'
        })
      })
    const first = await clip()
    expect(first).not.toContain('cut')
    const hiddenCount = first.filter((c) => c === 'hidden').length
    if (hiddenCount > 0) {
      const more = loss.locator('[data-testid="legend-more"]')
      expect(await more.textContent()).toBe(`+${hiddenCount} more`)
      await more.click()
      await waitFor(async () => (await clip()).every((c) => c === 'shown'), 10_000, 'every line shown after "+N more"')
    }
    const titles = new Set<string>()
    for (let i = 0; i < RUNS * 2; i++) {
      const item = items.nth(i)
      // what a user sees at the item's centre is the item itself: not clipped away nor covered
      await item.scrollIntoViewIfNeeded()
      const hit = await item.evaluate((el) => {
        const r = el.getBoundingClientRect()
        const at = document.elementFromPoint(r.left + Math.min(r.width / 2, 40), r.top + r.height / 2)
        return r.height > 0 && at !== null && el.contains(at)
      })
      expect(hit, `legend line ${i} is visible`).toBe(true)
      // hovering it names the line on the chart
      await item.hover()
      const title = (await item.getAttribute('title')) ?? ''
      await waitFor(async () => (await loss.getAttribute('data-focused')) === title, 10_000, `focus of ${title}`)
      titles.add(title)
    }
    expect(titles).toEqual(new Set(names.flatMap((n) => [`${n} · train`, `${n} · valid`])))
  })
})
