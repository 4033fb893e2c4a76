// The Models page in a real browser: the list, one model's versions with the
// metric each was chosen on, aliases, missing/changed marks, the link to the
// experiment, the alias history, and the versions on the experiment page.
import { rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]

/** Three runs registered as iris/1..3 (champion → 3); v1's file changed in place, v2's deleted. */
function fill(dbPath: string, dir: string): void {
  using db = new Database({ path: dbPath })
  const runs = [
    ['run-a', 0.61],
    ['run-b', 0.42],
    ['run-c', 0.27],
  ] as const
  for (const [exp, best] of runs) {
    db.setParams(exp, { lr: best / 10 })
    for (let step = 0; step < 5; step++) db.addLossValue(exp, 'valid', step, best + (4 - step) * 0.1)
    db.addMetricValue(exp, 'acc', 4, 1 - best, { split: 'valid' })
    const file = join(dir, `${exp}.json`)
    writeFileSync(file, `weights of ${exp}`)
    db.addFile(exp, file, { kind: 'model' })
    db.setExpStatus(exp, 'COMPLETE')
    db.registerModel('iris', { exp, description: 'the iris classifier' })
  }
  db.setModelAlias('iris', 'champion', 2)
  db.setModelAlias('iris', 'champion', 3)
  db.setModelAlias('iris', 'staging', 3)
  const a = join(dir, 'run-a.json')
  const mtime = (db.getFiles('run-a')[0]?.mtime ?? 0) / 1000
  writeFileSync(a, 'weights of run-X') // same size and mtime: only a re-hash tells
  utimesSync(a, mtime, mtime)
  rmSync(join(dir, 'run-b.json'))
}

beforeAll(async () => {
  s = await openDashboard('mldb-models-', fill, { width: 1400, height: 860 })
  ;({ page, base, pageErrors } = s)
})

afterAll(() => s?.close())

const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()))

describe('the Models page', () => {
  it('lists models with their latest version and aliases, from the nav', async () => {
    await page.goto(base)
    await page.click('[data-testid="nav-models"]')
    await page.waitForSelector('[data-testid="model-row"]')
    const row = (await texts('[data-testid="model-row"]'))[0] ?? ''
    expect(row).toContain('iris')
    expect(row).toContain('@champion → 3')
    expect(row).toContain('@staging → 3')
    expect(row).toContain('the iris classifier')
  })

  it('shows each version with the metric it was chosen on, its experiment, and missing marks', async () => {
    await page.click('[data-testid="model-link"]')
    await page.waitForSelector('[data-testid="version-row"]')
    expect(await texts('[data-testid="model-title"]')).toEqual(['iris'])
    const versions = await page.$$eval('[data-testid="version-row"]', (rows) => rows.map((r) => r.getAttribute('data-version')))
    expect(versions).toEqual(['3', '2', '1'])
    expect(await texts('[data-testid="version-exp"]')).toEqual(['run-c', 'run-b', 'run-a'])
    // the first validation series by default: valid/acc, then switch to valid/loss
    expect(await page.inputValue('[data-testid="metric-select"]')).toBe('valid/acc')
    await page.selectOption('[data-testid="metric-select"]', 'valid/loss')
    await waitFor(async () => (await texts('[data-testid="version-metric"]')).join(' ') === '0.27 0.42 0.61', 10_000, 'valid/loss minima')
    const aliasesOf3 = await page.$$eval('[data-version="3"] [data-testid="version-alias"]', (els) => els.map((e) => e.textContent))
    expect(aliasesOf3.sort()).toEqual(['@champion', '@staging'])
    // v2's file is gone; v1 was rewritten with the same size and mtime, so only a re-hash sees it
    const marks = () =>
      page.$$eval('[data-testid="version-row"]', (rows) => rows.map((r) => r.querySelector('[data-testid="model-state"]')?.getAttribute('data-state') ?? 'ok'))
    expect(await marks()).toEqual(['ok', 'missing', 'ok'])
    await page.click('[data-testid="verify-button"]')
    await waitFor(async () => (await marks()).join() === 'ok,missing,changed', 10_000, 'the re-hashed states')
    const history = await texts('[data-testid="alias-history"] tbody tr')
    expect(history).toHaveLength(3)
    expect(history[0]).toContain('@staging')
    await page.screenshot({ path: join(SCREENSHOTS, 'models-page.png'), fullPage: true })
  })

  it('links a version to its experiment, whose page lists the versions made from it', async () => {
    await page.click('[data-version="3"] [data-testid="version-exp"]')
    await page.waitForSelector('[data-testid="exp-models"]')
    expect(await texts('[data-testid="exp-title"]')).toEqual(['run-c'])
    const row = (await texts('[data-testid="exp-model-row"]'))[0] ?? ''
    expect(row).toContain('iris/3')
    expect(row).toContain('@champion')
    expect(pageErrors).toEqual([])
  })
})
