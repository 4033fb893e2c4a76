// Tables and histograms logged per step (logTable, logHistogram) on the experiment
// page in chromium: a table is shown as a table with a step slider, a histogram
// series as a heat map over steps whose bright band follows the values.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string

/** Values around `center`, spread ±1 (a fixed pattern, no randomness). */
const around = (center: number) => Array.from({ length: 200 }, (_, i) => center + Math.sin(i * 1.7) * (1 - (i % 10) / 20))

/** media-run: a JSON table at steps 0 and 5, a CSV table at step 5, weights drifting up from 0 to 8 over steps 0..8. */
function fill(dbPath: string): void {
  const db = new Database({ path: dbPath })
  db.setExpStatus('media-run', 'TRAINING')
  db.logTable('media-run', 'predictions', 0, [
    { label: 'cat', score: 0.5 },
    { label: 'dog', score: 0.25 },
  ])
  db.logTable('media-run', 'predictions', 5, [
    { label: 'cat', score: 0.9 },
    { label: 'dog', score: 0.75 },
    { label: 'eel, "striped"', score: 0.1 },
  ])
  db.logTable('media-run', 'confusion', 5, { columns: ['true', 'predicted'], rows: [['a', 'b']] }, { format: 'csv' })
  for (let step = 0; step <= 8; step++) db.logHistogram('media-run', 'weights/fc1', step, around(step), { bins: 16 })
  db.setExpStatus('media-run', 'COMPLETE')
  db.close()
}

beforeAll(async () => {
  s = await openDashboard('mldb-media-', fill, { width: 1400, height: 1000 })
  ;({ page, base } = s)
})

afterAll(() => s?.close())

/** The cells of a rendered table, row by row, header first. */
const cells = (name: string) =>
  page
    .locator(`[data-testid="media-table"][data-name="${name}"] table`)
    .evaluate((t: HTMLTableElement) => Array.from(t.rows, (r) => Array.from(r.cells, (c) => c.textContent ?? '')))

describe('the experiment page', () => {
  it('shows each logged table as a table at the latest step, and an earlier step on the slider', async () => {
    await page.goto(`${base}#/exp/media-run`)
    const preds = page.locator('[data-testid="media-table"][data-name="predictions"]')
    await preds.locator('table').waitFor({ timeout: 30_000 })
    expect(await waitFor(async () => (await cells('predictions')).length === 4 && cells('predictions'), 10_000, 'step 5 rows')).toEqual([
      ['label', 'score'],
      ['cat', '0.9'],
      ['dog', '0.75'],
      ['eel, "striped"', '0.1'],
    ])
    // the CSV one, read back with its quoting
    await page.locator('[data-testid="media-table"][data-name="confusion"] table').waitFor({ timeout: 10_000 })
    expect(await cells('confusion')).toEqual([
      ['true', 'predicted'],
      ['a', 'b'],
    ])
    const slider = preds.locator('[data-testid="media-table-step"]')
    await slider.focus()
    await page.keyboard.press('ArrowLeft')
    expect(await waitFor(async () => (await cells('predictions')).length === 3 && cells('predictions'), 10_000, 'step 0 rows')).toEqual([
      ['label', 'score'],
      ['cat', '0.5'],
      ['dog', '0.25'],
    ])
    expect(s.pageErrors).toEqual([])
  })

  it('draws a histogram series as a heat map with one column per step and the bright band following the values', async () => {
    await page.goto(`${base}#/exp/media-run`)
    const map = page.locator('[data-testid="histogram-heatmap"][data-name="weights/fc1"]')
    await map.locator('[data-testid="heatmap-column"]').first().waitFor({ timeout: 30_000 })
    const columns = (await waitFor(
      async () => {
        const cols = await map.locator('[data-testid="heatmap-column"]').evaluateAll((els) =>
          els.map((g) => ({
            step: Number(g.getAttribute('data-step')),
            // the value at the column's brightest cell
            peak: Number(g.getAttribute('data-peak')),
          })),
        )
        return cols.length === 9 ? cols : undefined
      },
      10_000,
      'nine columns',
    )) as { step: number; peak: number }[]
    expect(columns.map((c) => c.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    // the values of step k lie in k ± 1: the brightest cell of each column sits there
    for (const c of columns) expect(Math.abs(c.peak - c.step)).toBeLessThanOrEqual(1)
    // one value axis for all steps, from the smallest value ever logged to the largest
    const [lo, hi] = ((await map.getAttribute('data-range')) ?? '').split(' ').map(Number)
    expect(lo).toBeGreaterThanOrEqual(-1)
    expect(lo).toBeLessThan(-0.5)
    expect(hi).toBeGreaterThan(8.5)
    expect(hi).toBeLessThanOrEqual(9)
    await page.locator('[data-testid="histograms"]').screenshot({ path: join(SCREENSHOTS, 'experiment-histograms.png') })
    expect(s.pageErrors).toEqual([])
  })
  it('reads a table file once while the live page reloads around it', async () => {
    await page.goto(`${base}#/exp/media-run`)
    await page.locator('[data-testid="media-table"][data-name="confusion"] table').waitFor({ timeout: 30_000 })
    const fetched: string[] = []
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname.startsWith('/api/files/')) fetched.push(r.url())
    }
    page.on('request', onRequest)
    try {
      // a tag changes the experiment: the live poller hands the page a new row and it reloads
      const db = new Database({ path: s.dbPath })
      db.setTags('media-run', { reviewed: 'yes' })
      db.close()
      await waitFor(async () => (await page.locator('[data-testid="tag"]', { hasText: 'reviewed' }).count()) === 1, 30_000, 'the tag')
      await page.locator('[data-testid="media-table"][data-name="confusion"] table').waitFor({ timeout: 10_000 })
    } finally {
      page.off('request', onRequest)
    }
    // the files did not change, so none is read again (before: both tables' files, on every reload)
    expect(fetched).toEqual([])
  })
})
