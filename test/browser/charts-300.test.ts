// 300 runs on one chart in chromium: one request per panel, a legend that
// collapses to a count with a search box, hover highlight, and grouping by a
// param with mean/median lines and bands.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'
import { fillSweep300, runName, SWEEP_RUNS } from './sweep-300-fixture.js'

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]
const requests: string[] = []

beforeAll(async () => {
  s = await openDashboard('mldb-charts300-', (dbPath) => fillSweep300(dbPath, 200), { width: 1400, height: 900 })
  ;({ page, base, pageErrors } = s)
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (u.pathname.startsWith('/api/')) requests.push(`${u.pathname}${u.search}`)
  })
}, 120_000)

afterAll(() => s?.close())

const all = Array.from({ length: SWEEP_RUNS }, (_, e) => runName(e))
const chartsUrl = (extra = '') => `${base}#/charts?${all.map((n) => `exp=${n}`).join('&')}${extra}`
const panel = (name: string) => page.locator(`[data-testid="chart"][data-series="${name}"]`)

/** Waits until both panels are drawn with every line that has data. */
async function waitDrawn(lines: { loss: number; acc: number }): Promise<void> {
  await waitFor(
    () =>
      page.evaluate((want) => {
        const draws = (window as unknown as { __mldbChartDraws?: { title: string; lines: number }[] }).__mldbChartDraws ?? []
        return draws.some((d) => d.title === 'loss' && d.lines >= want.loss) && draws.some((d) => d.title === 'acc' && d.lines >= want.acc)
      }, lines),
    60_000,
    'both panels drawn',
  )
}

/** The tooltip's rows as [label, value] after hovering the middle of a panel. */
async function tipRows(name: string, x = 0.5, y = 0.5): Promise<[string, string][]> {
  const box = await panel(name).locator('.u-over').boundingBox()
  if (!box) throw new Error('no plot')
  await page.mouse.move(box.x + box.width * x, box.y + box.height * y)
  return panel(name)
    .locator('.tip-row')
    .evaluateAll((rows) => rows.map((r) => [r.querySelector('span')?.textContent ?? '', r.querySelector('b')?.textContent ?? ''] as [string, string]))
}

describe('a 300-run sweep on the charts page', () => {
  it('draws every panel with one request each, not one per line', async () => {
    requests.length = 0
    await page.goto(chartsUrl())
    await waitDrawn({ loss: 2 * SWEEP_RUNS, acc: SWEEP_RUNS })
    const batch = requests.filter((r) => r.startsWith('/api/downsample'))
    expect(batch.length).toBeGreaterThanOrEqual(2)
    expect(batch.length).toBeLessThanOrEqual(4) // ≤ 2 per panel
    // the per-line and per-experiment routes are not used to draw
    expect(requests.filter((r) => r.includes('/downsample?') && r.startsWith('/api/experiments/'))).toEqual([])
    expect(requests.filter((r) => /^\/api\/experiments\/[^/?]+$/.test(r.split('?')[0] ?? ''))).toEqual([])
    expect(requests.length).toBeLessThanOrEqual(10)
    // a bucket per pixel of the ~650 px plot, fewer per line past 150,000 in a panel (600 lines: 250)
    const buckets = batch.map((r) => [
      new URLSearchParams(r.split('?')[1]).getAll('series').length,
      Number(new URLSearchParams(r.split('?')[1]).get('buckets')),
    ])
    expect(buckets.sort()).toEqual([
      [1, 500],
      [2, 250],
    ])
    await page.screenshot({ path: join(SCREENSHOTS, 'charts-300.png') })
  })

  it('collapses legend and chips to a count with a search box that finds one run', async () => {
    const loss = panel('loss')
    expect(await loss.locator('[data-testid="legend-toggle"]').textContent()).toContain('600 lines')
    expect(await loss.locator('[data-testid="legend-item"]').count()).toBe(0)
    await loss.locator('[data-testid="legend-search"]').fill('sweep-123')
    await waitFor(async () => (await loss.locator('[data-testid="legend-item"]').count()) === 2, 10_000, 'two matches')
    expect(await loss.locator('[data-testid="legend-item"]').first().getAttribute('title')).toBe('sweep-123 · train')
    // chips: a count, not 300 chips pushing the charts below the fold
    expect(await page.locator('[data-testid="exp-chip"]').count()).toBe(0)
    expect(await page.locator('[data-testid="chips-toggle"]').textContent()).toContain('300 experiments')
    const chartTop = await loss.boundingBox()
    expect(chartTop?.y ?? 9999).toBeLessThan(400)
  })

  it('highlights a hovered line and names it', async () => {
    const loss = panel('loss')
    await loss.locator('[data-testid="legend-item"]').first().hover()
    await waitFor(async () => (await loss.getAttribute('data-focused')) === 'sweep-123 · train', 10_000, 'focus from the legend')
    expect(await loss.locator('[data-testid="chart-focus"]').textContent()).toContain('123')
    await page.mouse.move(5, 5)
    await waitFor(async () => (await loss.getAttribute('data-focused')) === '', 10_000, 'focus cleared')
  })

  it('groups by a param: one line per group with its mean (or median) and band', async () => {
    await page.selectOption('[data-testid="group-by"]', 'params.lr')
    const acc = panel('acc')
    await waitFor(async () => (await acc.getAttribute('data-lines')) === '4', 20_000, 'four group lines')
    const labels = await acc.locator('[data-testid="legend-item"]').evaluateAll((els) => els.map((e) => e.querySelector('.legend-label')?.textContent))
    expect(labels).toEqual(['0.0001 · valid (75)', '0.001 · valid (75)', '0.01 · valid (75)', '0.1 · valid (75)'])
    // each run holds g or g + 1; the mean of a group is g + 0.2
    const mean = await tipRows('acc')
    // (the line under the cursor comes first, highlighted: compare as a set)
    expect(mean.map(([, v]) => v).sort()).toEqual(['0.2', '1.2', '2.2', '3.2'])
    await page.selectOption('[data-testid="group-agg"]', 'median')
    await page.mouse.move(5, 5)
    await waitFor(
      async () =>
        (await tipRows('acc'))
          .map(([, v]) => v)
          .sort()
          .join() === '0,1,2,3',
      10_000,
      'medians',
    )
    await page.selectOption('[data-testid="group-band"]', 'std')
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('band')).toBe('std')
    await page.selectOption('[data-testid="group-agg"]', 'mean')
    await page.screenshot({ path: join(SCREENSHOTS, 'charts-300-grouped.png') })
    // the band is drawn: pixels of the group's colour fill the plot above and below the mean line
    expect(pageErrors).toEqual([])
  })
})
