// Two runs with the same image series and system metrics: the compare page shows the
// image of every selected run at one step (one slider for the row), and the
// experiment page charts the machine's series in a "System" group of their own.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { makePng, SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string

/** run-a: mask at steps 10, 20 (widths 30, 50); run-b: mask at step 20 only (width 70); both log system/cpu and memory. */
function fill(dbPath: string, dir: string): void {
  const db = new Database({ path: dbPath })
  const images: [string, number, number][] = [
    ['run-a', 10, 30],
    ['run-a', 20, 50],
    ['run-b', 20, 70],
  ]
  for (const run of ['run-a', 'run-b']) {
    db.setExpStatus(run, 'TRAINING')
    const points = Array.from({ length: 25 }, (_, step) => [
      { name: 'loss', split: 'train', step, value: 1 / (step + 1) },
      { name: 'cpu_percent', split: 'system', step, value: 40 + (step % 5) },
      { name: 'memory_percent', split: 'system', step, value: 60 },
    ]).flat()
    db.logBatch(run, points)
    mkdirSync(join(dir, run))
  }
  for (const [run, step, w] of images) {
    const p = join(dir, run, `mask-step${step}.png`)
    writeFileSync(p, makePng(w, 20))
    db.addFile(run, p, { kind: 'image', step })
  }
  for (const run of ['run-a', 'run-b']) db.setExpStatus(run, 'COMPLETE')
  db.close()
}

beforeAll(async () => {
  s = await openDashboard('mldb-compare-images-', fill, { width: 1400, height: 900 })
  ;({ page, base } = s)
})

afterAll(() => s?.close())

const widthOf = (run: string) =>
  waitFor(
    () => page.locator(`[data-testid="compare-image"][data-run="${run}"] img`).evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)),
    30_000,
    `${run}'s image`,
  )

describe('the same image across selected runs', () => {
  it('shows every run at the latest step, then all at the step the slider picks', async () => {
    await page.goto(`${base}#/compare?exp=run-a&exp=run-b`)
    const row = page.locator('[data-testid="image-compare-row"]')
    await row.waitFor({ timeout: 30_000 })
    expect(await row.count()).toBe(1)
    expect(await row.getAttribute('data-image')).toBe('mask-step#.png')
    expect(await widthOf('run-a')).toBe(50)
    expect(await widthOf('run-b')).toBe(70)
    await page.locator('[data-testid="image-compare"]').screenshot({ path: join(SCREENSHOTS, 'compare-images.png') })
    const slider = row.locator('[data-testid="compare-image-step"]')
    await slider.focus()
    await page.keyboard.press('ArrowLeft')
    await waitFor(async () => (await page.locator('[data-testid="compare-image"][data-run="run-a"]').getAttribute('data-step')) === '10', 10_000, 'step 10')
    expect(await widthOf('run-a')).toBe(30)
    // run-b has no picture at or before step 10
    const b = page.locator('[data-testid="compare-image"][data-run="run-b"]')
    expect(await b.locator('img').count()).toBe(0)
    expect(await b.textContent()).toContain('none yet')
  })
})

describe('the experiment page', () => {
  it("charts the machine's series in their own System group, below the model's", async () => {
    await page.goto(`${base}#/exp/run-a`)
    const group = page.locator('[data-testid="chart-group"][data-group="system"]')
    await group.waitFor({ timeout: 30_000 })
    const titles = () => group.locator('[data-testid="chart"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-series')))
    expect(await titles()).toEqual(['system/cpu_percent', 'system/memory_percent'])
    await group.locator('[data-testid="chart"][data-series="system/cpu_percent"] .uplot[data-drawn]').waitFor({ timeout: 30_000 })
    // the model's chart is outside the group, above it
    const loss = page.locator('[data-testid="chart"][data-series="loss"]')
    expect(await loss.evaluate((el) => el.closest('[data-testid="chart-group"]') === null)).toBe(true)
    expect(((await loss.boundingBox())?.y ?? 0) < ((await group.boundingBox())?.y ?? 0)).toBe(true)
    await page.screenshot({ path: join(SCREENSHOTS, 'experiment-system.png'), fullPage: true })
    // folded away, its charts are gone (and load nothing)
    await group.locator('summary').click()
    await waitFor(async () => (await titles()).length === 0, 10_000, 'the folded group')
  })
})
