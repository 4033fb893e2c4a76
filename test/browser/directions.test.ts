// The compare page summarises each series in the direction it is optimised in:
// an accuracy's best is its max, a loss's its min (it showed `last (min)` for both).
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]

/** Two runs whose acc, loss and bleu are each best at a different step. */
function fill(dbPath: string): void {
  {
    using db = new Database({ path: dbPath })
    for (const [name, accs] of [
      ['run-a', [0.5, 0.8, 0.7]],
      ['run-b', [0.6, 0.65, 0.9]],
    ] as const) {
      for (const [step, acc] of accs.entries())
        db.logBatch(name, [
          { name: 'acc', split: 'valid', step, value: acc },
          { name: 'loss', split: 'valid', step, value: 1 - acc },
          { name: 'bleu', split: 'valid', step, value: acc * 40 },
        ])
      db.setParams(name, { lr: name === 'run-a' ? 0.1 : 0.01 })
      db.setExpStatus(name, 'COMPLETE')
    }
  }
}

beforeAll(async () => {
  s = await openDashboard('mldb-browser-dir-', fill)
  ;({ page, base, pageErrors } = s)
}, 180_000)

afterAll(() => s?.close())

describe('the dashboard follows each series direction', () => {
  it('shows last (max) for an accuracy and last (min) for a loss', async () => {
    await page.goto(`${base}#/compare?exp=run-a&exp=run-b`)
    const acc = page.locator('[data-testid="series-row"][data-series="valid/acc"][data-direction="max"]')
    await acc.waitFor({ timeout: 30_000 })
    expect(await acc.locator('td').allInnerTexts()).toEqual(['valid/acc last (max)', '0.7 (0.8)', '0.9 (0.9)'])
    const loss = page.locator('[data-testid="series-row"][data-series="valid/loss"][data-direction="min"]')
    await loss.waitFor({ timeout: 30_000 })
    expect((await loss.locator('td').allInnerTexts()).map((s) => s.replace(/(\d\.\d{4})\d+/g, '$1'))).toEqual([
      'valid/loss last (min)',
      '0.3 (0.2)',
      '0.1 (0.1)',
    ])
    expect(pageErrors).toEqual([])
  })

  it('the hyperparameter page brightens the highest BLEU (a score its old word list missed) and the lowest loss', async () => {
    await page.goto(`${base}#/hparams?metric=valid/bleu&x=lr`)
    await page.getByText('bright lines: the best last valid/bleu (highest)').waitFor({ timeout: 30_000 })
    await page.goto(`${base}#/hparams?metric=valid/loss&x=lr`)
    await page.getByText('bright lines: the best last valid/loss (lowest)').waitFor({ timeout: 30_000 })
    expect(pageErrors).toEqual([])
  })

  it('the experiments table sorts an accuracy column highest first and a loss column lowest first', async () => {
    await page.goto(`${base}#/?col=metrics.valid/acc&col=metrics.valid/loss`)
    const acc = page.locator('[data-testid="column-header"][data-col="metrics.valid/acc"][title$="(best highest)"]')
    await acc.waitFor({ timeout: 30_000 })
    await acc.click()
    const hash = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '')
    const rows = () => page.$$eval('[data-testid="exp-row"]', (els) => els.map((r) => r.getAttribute('data-name')))
    await waitFor(
      async () => hash().get('sort') === 'metrics.valid/acc' && hash().get('desc') === '1' && (await rows())[0] === 'run-b',
      30_000,
      'acc sorted highest first',
    )
    expect(await rows()).toEqual(['run-b', 'run-a'])
    const loss = page.locator('[data-testid="column-header"][data-col="metrics.valid/loss"][title$="(best lowest)"]')
    await loss.click()
    await waitFor(() => hash().get('sort') === 'metrics.valid/loss' && !hash().has('desc'), 30_000, 'loss sorted lowest first')
    expect(pageErrors).toEqual([])
  })
})
