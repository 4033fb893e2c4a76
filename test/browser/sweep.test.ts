// The dashboard on a sweep at 1400 px: the table's default columns are the
// params that vary and the latest of each series (valid first), full names
// visible, no horizontal scrolling; the charts' legend stays small with 8 runs.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'
import { fillSweep, SWEEP } from './sweep-fixture.js'

let s: DashboardSession
let page: Page
let base: string
let names: string[]
let pageErrors: string[]

beforeAll(async () => {
  s = await openDashboard(
    'mldb-sweep-',
    (dbPath) => {
      names = fillSweep(dbPath)
    },
    { width: 1400, height: 860 },
  )
  ;({ page, base, pageErrors } = s)
})

afterAll(() => s?.close())

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
const headers = () => page.$$eval('[data-testid="column-header"]', (hs) => hs.map((h) => h.getAttribute('data-col') ?? ''))

describe('a sweep in the dashboard at 1400 px', () => {
  it('shows the varying params and the latest values, valid first, by default', async () => {
    await page.goto(base)
    await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === names.length, 30_000, 'the sweep in the table')
    const cols = await waitFor(
      async () => {
        const h = await headers()
        return h.includes('metrics.valid/loss') ? h : undefined
      },
      30_000,
      'the series columns',
    )
    expect(cols).toEqual([
      'name',
      'project',
      'status',
      'started',
      'duration',
      ...SWEEP.varying.map((k) => `params.${k}`),
      'metrics.valid/loss',
      'metrics.valid/acc',
      'metrics.train/loss',
      'metrics.train/acc',
    ])
    // a constant param is hidden, a varying one shown
    expect(cols).not.toContain('params.dataset')
    expect(cols).toContain('params.lr')

    // every column fits: no horizontal scrolling
    const grid = page.locator('[data-testid="experiments-table"]')
    const { scroll, client } = await grid.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(scroll).toBeLessThanOrEqual(client)

    // full names, none cut short by an ellipsis
    const cut = await page.$$eval('[data-testid="exp-link"]', (links) =>
      links
        .filter((a) => a.scrollWidth > a.clientWidth || a.getBoundingClientRect().right > (a.parentElement as HTMLElement).getBoundingClientRect().right)
        .map((a) => a.textContent),
    )
    expect(cut).toEqual([])
    expect(await page.locator('[data-testid="exp-link"]').first().getAttribute('title')).toBe(names[0])
    await shot('sweep-table')
  })

  it('keeps the constant params in the Columns menu', async () => {
    await page.click('[data-testid="columns-button"]')
    const popover = page.locator('[data-testid="columns-popover"]')
    await popover.waitFor({ timeout: 30_000 })
    const constants = await popover.locator('[data-testid="constant-param"]').allTextContents()
    expect(constants.length).toBe(SWEEP.constant.length)
    const dataset = popover.locator('label', { hasText: 'dataset' })
    expect(await dataset.textContent()).toContain('= iris')
    await shot('sweep-columns')
    await dataset.locator('input').check()
    await waitFor(async () => (await headers()).includes('params.dataset'), 30_000, 'the dataset column')
    const cell = page.locator(`[data-testid="exp-row"][data-name="${names[0]}"] [data-col="params.dataset"]`)
    expect(await cell.textContent()).toBe('iris')
    // the varying params and series stay: picking starts from the default columns
    expect(await headers()).toContain('metrics.valid/loss')
    await page.mouse.click(5, 300)
  })

  it('charts all eight runs with a legend that leaves room for the plots', async () => {
    await page.goto(base)
    await page.locator('[data-testid="exp-row"]').first().waitFor({ timeout: 30_000 })
    await page.check('input[aria-label="select all"]')
    await page.click('[data-testid="chart-button"]')
    await page.waitForURL(/#\/charts\?/, { timeout: 30_000 })
    const loss = page.locator('[data-testid="chart"][data-series="loss"]')
    await loss.locator('.uplot[data-drawn]').waitFor({ timeout: 30_000 })
    const items = loss.locator('[data-testid="legend-item"]')
    expect(await items.count()).toBe(names.length * 2)
    // labels keep only the part of the name that differs; the full name is the tooltip
    const first = await items.first().evaluate((el) => ({ text: el.textContent ?? '', title: el.getAttribute('title') ?? '' }))
    expect(first.title).toMatch(/^20261126_1328\d\d_iris-mlp-h\d+-lr[\d.]+ · (train|valid)$/)
    expect(first.text).not.toContain('iris-mlp')
    expect(first.text).toMatch(/h\d+-lr[\d.]+ · (train|valid)/)
    // the legend is shorter than the plot
    const legend = await loss.locator('[data-testid="chart-legend"]').boundingBox()
    const plot = await loss.locator('.uplot').boundingBox()
    expect(legend && plot && legend.height < plot.height / 2).toBe(true)
    // both charts start within the first screen
    const acc = await page.locator('[data-testid="chart"][data-series="acc"] .uplot').boundingBox()
    expect(acc && acc.y + acc.height).toBeLessThan(860)
    await shot('sweep-charts')
    expect(pageErrors).toEqual([])
  })
})
