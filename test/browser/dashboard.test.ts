// The dashboard in a real browser against the real server and a real database:
// table (filter, sort, select), charts, experiment page with an image, live updates.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { FIX, fillFixture } from './fixture.js'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let dbPath: string
let page: Page
let base: string
let pageErrors: string[]

beforeAll(async () => {
  s = await openDashboard('mldb-browser-', fillFixture)
  ;({ page, base, pageErrors, dbPath } = s)
})

afterAll(() => s?.close())

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })

/** The query of the page's hash route. */
const hashQuery = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '')

/** The names of the table's rows, top to bottom. */
const rowNames = () => page.$$eval('[data-testid="exp-row"]', (rows) => rows.map((r) => r.getAttribute('data-name') ?? ''))

async function waitForRows(n: number): Promise<string[]> {
  const names = await waitFor(
    async () => {
      const names = await rowNames()
      return names.length === n ? names : undefined
    },
    30_000,
    `${n} table rows`,
  )
  return names as string[]
}

async function applyFilter(text: string): Promise<void> {
  await page.fill('[data-testid="filter-input"]', text)
  await page.press('[data-testid="filter-input"]', 'Enter')
}

describe('the dashboard in chromium', () => {
  it('opens the experiments table with every experiment and its status', async () => {
    // all=1: with no project named the table opens on the latest project (experiment-files.test.ts)
    await page.goto(`${base}#/?all=1`)
    const names = await waitForRows(9)
    expect(new Set(names)).toEqual(new Set([...FIX.sweep, FIX.failed, FIX.lost, FIX.running, FIX.image]))
    const lost = page.locator(`[data-testid="exp-row"][data-name="${FIX.lost}"] [data-testid="status-badge"]`)
    expect(await lost.textContent()).toBe('LOST')
    await shot('table')
  })

  it('filters with the filter language and shows a bad filter inline', async () => {
    await applyFilter('params.lr < 0.01')
    const names = await waitForRows(4)
    expect(new Set(names)).toEqual(new Set(['sweep-lr0.003-h128', 'sweep-lr0.001-h64', FIX.lost, FIX.running]))
    expect(hashQuery().get('where')).toBe('params.lr < 0.01')

    await applyFilter('params.lr <')
    const error = page.locator('[data-testid="filter-error"]')
    await error.waitFor({ timeout: 30_000 })
    expect(await error.textContent()).toMatch(/column \d+/)
    await shot('table-filter-error')

    await page.click('[data-testid="filter-clear"]')
    await waitForRows(9)
    expect(await error.count()).toBe(0)
  })

  it('sorts by a column when its header is clicked', async () => {
    // Names compare "naturally" (numbers inside by value); whatever ICU does with ties,
    // the words must come in order and descending must be the exact reverse.
    const words = (names: string[]) => names.map((n) => n.replace(/[^a-z].*$/, '')).join()
    const byWord = words([...FIX.sweep, FIX.failed, FIX.lost, FIX.running, FIX.image].sort())
    const header = page.locator('[data-testid="column-header"][data-col="name"]')
    await header.click()
    const asc = await waitFor(
      async () => {
        const names = await rowNames()
        return hashQuery().get('sort') === 'name' && words(names) === byWord ? names : undefined
      },
      30_000,
      'rows sorted by name',
    )
    await header.click()
    await waitFor(
      async () => hashQuery().get('desc') === '1' && (await rowNames()).join() === [...(asc as string[])].reverse().join(),
      30_000,
      'the reverse order',
    )

    // a param column sorts by value (numbers as numbers), missing values last
    await page.locator('[data-testid="column-header"][data-col="params.lr"]').click()
    await waitFor(async () => hashQuery().get('sort') === 'params.lr' && (await rowNames())[0] === FIX.lost, 30_000, 'the smallest lr (0.0003) first')
    expect((await rowNames()).at(-1)).toBe(FIX.failed) // lr 1.0
  })

  it('charts two selected experiments', async () => {
    const a = 'sweep-lr0.1-h32'
    const b = 'sweep-lr0.01-h32'
    await page.locator(`[data-testid="exp-row"][data-name="${a}"] [data-testid="row-check"]`).check()
    await page.locator(`[data-testid="exp-row"][data-name="${b}"] [data-testid="row-check"]`).check()
    await page.click('[data-testid="chart-button"]')
    await page.waitForURL(/#\/charts\?/, { timeout: 30_000 })
    const loss = page.locator('[data-testid="chart"][data-series="loss"]')
    await loss.locator('.uplot[data-drawn]').waitFor({ timeout: 30_000 })
    // two experiments × train and valid
    expect(await loss.locator('[data-testid="legend-item"]').count()).toBe(4)
    // the lines are on the canvas: count pixels in the first experiment's colour (#0072b2)
    const blue = await loss.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d') as CanvasRenderingContext2D
      const { data } = ctx.getImageData(0, 0, c.width, c.height)
      let n = 0
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] as number) - 0) < 30 && Math.abs((data[i + 1] as number) - 114) < 30 && Math.abs((data[i + 2] as number) - 178) < 30) n++
      }
      return n
    })
    expect(blue).toBeGreaterThan(100)
    expect(await page.locator('[data-testid="chart"][data-series="acc"]').count()).toBe(1)
    await shot('charts')
  })

  it('shows an experiment page with its image preview and model hash', async () => {
    await page.goto(`${base}#/exp/${FIX.image}`)
    const img = page.locator('[data-testid="image-preview"]')
    await img.waitFor({ timeout: 30_000 })
    const width = await waitFor(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), 30_000, 'the image to load')
    expect(width).toBe(64)
    const sha = createHash('sha256')
      .update(readFileSync(join(s.dir, 'files', 'model.safetensors')))
      .digest('hex')
    expect(await page.locator('[data-testid="weight-hash"]').getAttribute('data-sha')).toBe(sha)
    expect(await page.locator('[data-testid="file-row"]').count()).toBe(2)
    await shot('experiment')
  })

  it('saves notes through the API', async () => {
    await page.fill('[data-testid="notes-input"]', 'best IoU so far')
    await page.click('[data-testid="notes-save"]')
    await page.locator('[data-testid="notes-saved"]').waitFor({ timeout: 30_000 })
    const db = new Database({ path: dbPath, readonly: true })
    try {
      expect(db.getNotes(FIX.image)).toBe('best IoU so far')
    } finally {
      db.close()
    }
  })

  it("shows a running experiment's new points without reloading or re-fetching its history", async () => {
    await page.goto(`${base}#/charts?exp=${FIX.running}`)
    const item = page.locator('[data-testid="chart"][data-series="loss"] [data-testid="legend-item"]')
    await waitFor(async () => (await item.getAttribute('data-last-step')) === '19', 30_000, 'the chart at step 19')
    await page.evaluate(() => {
      ;(window as unknown as { __noReload: boolean }).__noReload = true
    })
    const requests: string[] = []
    page.on('request', (r) => requests.push(decodeURIComponent(r.url())))

    const db = new Database({ path: dbPath })
    try {
      db.logBatch(FIX.running, [{ name: 'loss', split: 'train', step: 20, value: 0.125 }])
      await waitFor(async () => (await item.getAttribute('data-last-step')) === '20', 30_000, 'the new point in the chart')
      expect(await item.textContent()).toContain('0.125')
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true)
      expect(requests.some((u) => u.includes('/points?') && u.includes('after=19'))).toBe(true)
      expect(requests.filter((u) => u.includes('/downsample?'))).toEqual([])
      await shot('charts-live')

      // the table row follows too
      await page.click('[data-testid="nav-table"]')
      const cell = page.locator(`[data-testid="exp-row"][data-name="${FIX.running}"] [data-col="metrics.train/loss"]`)
      await cell.waitFor({ timeout: 30_000 })
      db.logBatch(FIX.running, [{ name: 'loss', split: 'train', step: 21, value: 0.0625 }])
      await waitFor(async () => (await cell.textContent()) === '0.0625', 30_000, 'the new value in the table')
    } finally {
      db.close()
    }
  })

  it('shows the compare and hyperparameter views', async () => {
    await page.goto(`${base}#/compare?exp=sweep-lr0.1-h32&exp=sweep-lr0.003-h128`)
    await page.locator('[data-testid="compare-table"]').waitFor({ timeout: 30_000 })
    const lr = page.locator('[data-testid="param-row"]', { hasText: 'params.lr' })
    expect(await lr.getAttribute('data-differs')).toBe('1')
    const epochs = page.locator('[data-testid="param-row"]', { hasText: 'params.epochs' })
    expect(await epochs.getAttribute('data-differs')).toBe('0')
    await page.locator('[data-testid="chart"][data-series="loss"] .uplot[data-drawn]').waitFor({ timeout: 30_000 })
    await shot('compare')

    await page.goto(`${base}#/hparams?metric=valid/loss&agg=min&x=lr`)
    await page.locator('[data-testid="parallel-coords"] polyline').first().waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="parallel-coords"] polyline').count()).toBe(FIX.sweep.length)
    expect(await page.locator('[data-testid="scatter"] circle').count()).toBe(FIX.sweep.length)
    await shot('hparams')
    expect(pageErrors).toEqual([])
  })
})
