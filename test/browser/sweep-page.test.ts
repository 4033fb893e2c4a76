// The sweep page in a real browser: the sweeps list from the nav, then one
// sweep's best-so-far curve, parallel coordinates, named parameter importance
// and trials table with their statuses.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { SCREENSHOTS } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]

/** A 16-trial bayes sweep named quad, some trials pruned. */
function fill(dbPath: string): void {
  {
    using db = new Database({ path: dbPath })
    const s = db.createSweep({
      name: 'quad',
      method: 'bayes',
      metric: { name: 'valid/loss', goal: 'minimize' },
      parameters: { x: { min: -3, max: 3 }, noise: { min: 0, max: 1 }, opt: { values: ['sgd', 'adam'] } },
      early_terminate: { type: 'median', n_startup_trials: 3 },
      run_cap: 16,
      seed: 3,
    })
    s.optimize((t) => {
      const v = ((t.params.x as number) - 1) ** 2
      for (let step = 0; step < 4; step++) t.report(step, v + 1 / (step + 1))
      if (t.shouldPrune()) {
        t.prune()
        return undefined
      }
      return v + 0.25
    })
  }
}

beforeAll(async () => {
  s = await openDashboard('mldb-sweep-page-', fill, { width: 1400, height: 900 })
  ;({ page, base, pageErrors } = s)
})

afterAll(() => s?.close())

const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()))

describe('the sweep page', () => {
  it('lists sweeps from the nav and shows one: curve, parallel coordinates, importance, trials', async () => {
    await page.goto(base)
    await page.click('[data-testid="nav-sweeps"]')
    await page.waitForSelector('[data-testid="sweeps-table"]')
    const row = (await texts('[data-testid="sweeps-table"] tbody tr'))[0] ?? ''
    expect(row).toContain('quad')
    expect(row).toContain('bayes')
    await page.click('[data-testid="sweeps-table"] a')
    await page.waitForSelector('[data-testid="trials-table"]')
    expect(await texts('[data-testid="sweep-title"]')).toEqual(['quad'])
    expect(await page.$$eval('[data-testid="trials-table"] tbody tr', (r) => r.length)).toBe(16)
    const statuses = await texts('[data-testid="trials-table"] tbody tr td:nth-child(3)')
    expect(statuses.some((s) => s.includes('PRUNED'))).toBe(true)
    expect(await page.$$eval('[data-testid="best-curve"] polyline', (p) => p.length)).toBe(1)
    expect(await page.$$eval('[data-testid="sweep-parallel"] polyline', (p) => p.length)).toBeGreaterThan(3)
    const importance = await texts('[data-testid="sweep-importance"] tbody tr td:first-child')
    // x drives the metric; the measure is named on the page
    expect(importance[0]).toBe('x')
    expect(await texts('[data-testid="sweep-importance"] .card-head')).toEqual([expect.stringContaining('Spearman')])
    await page.screenshot({ path: join(SCREENSHOTS, 'sweep-page.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
