// The experiment page in chromium: charts first, then images with a step
// slider, and one list of files grouped by kind, collapsed past a few rows,
// each with a download (or open) link the server serves.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { makePng, SCREENSHOTS, waitFor } from './helpers.js'
import { type DashboardSession, openDashboard } from './session.js'

let s: DashboardSession
let page: Page
let base: string
let pageErrors: string[]

/** seg-run with a loss, images, checkpoints, a model and a missing data file; two nlp runs. */
function fill(dbPath: string, dir: string): void {
  const files = join(dir, 'files')
  mkdirSync(files)
  const db = new Database({ path: dbPath })
  db.setExpStatus('seg-run', 'TRAINING', { project: 'vision' })
  db.setParams('seg-run', { lr: 0.01 })
  db.logBatch(
    'seg-run',
    Array.from({ length: 30 }, (_, s) => ({ name: 'loss', split: 'train', step: s, value: 1 / (s + 1) })),
  )
  // two steps of one image (different sizes, so the shown one can be told apart), six checkpoints, a model, a missing data file
  for (const [step, w] of [
    [10, 32],
    [20, 48],
  ] as const) {
    const p = join(files, `mask-step${step}.png`)
    writeFileSync(p, makePng(w, 24))
    db.addFile('seg-run', p, { kind: 'image', step })
  }
  for (let s = 1; s <= 6; s++) {
    const p = join(files, `ckpt-${s}.pt`)
    writeFileSync(p, Buffer.alloc(100 * s, s))
    db.addFile('seg-run', p, { kind: 'checkpoint', step: s * 5 })
  }
  const model = join(files, 'model.safetensors')
  writeFileSync(model, Buffer.from('the weights'))
  db.addFile('seg-run', model, { kind: 'model', step: 30, hash: true })
  const gone = join(files, 'table.csv')
  writeFileSync(gone, 'a,b\n')
  db.addFile('seg-run', gone, { kind: 'data' })
  db.setExpStatus('seg-run', 'COMPLETE')
  // a second project, with values either side of 1e-3 for the number format
  for (const [name, v] of [
    ['nlp-a', 0.0001],
    ['nlp-b', 0.0001714],
  ] as const) {
    db.setExpStatus(name, 'COMPLETE', { project: 'nlp' })
    db.setParams(name, { lr: v, note_for_a_really_long_column_name_to_scroll: 'x'.repeat(40), other_wide_param_name_number_two: 'y'.repeat(40) })
    db.logBatch(name, [{ name: 'loss', split: 'valid', step: 0, value: v }])
  }
  db.close()
  rmSync(gone)
}

beforeAll(async () => {
  s = await openDashboard('mldb-expfiles-', fill, { width: 1400, height: 900 })
  ;({ page, base, pageErrors } = s)
})

afterAll(() => s?.close())

describe('the experiments table', () => {
  it('opens on the project with the latest activity, and shows every project when asked', async () => {
    await page.goto(`${base}#/`)
    const picker = page.locator('[data-testid="project-select"]')
    await picker.waitFor({ timeout: 30_000 })
    // nlp's runs were written after vision's seg-run
    await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === 2, 30_000, 'the nlp rows')
    expect(await picker.inputValue()).toBe('nlp')
    expect(await picker.locator('option:checked').textContent()).toContain('latest')
    expect(new Set(await page.locator('[data-testid="exp-row"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-name'))))).toEqual(
      new Set(['nlp-a', 'nlp-b']),
    )
    await picker.selectOption('')
    await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === 3, 30_000, 'every row')
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('all')).toBe('1')
    // a link that names all projects keeps them after a reload
    await page.reload()
    await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === 3, 30_000, 'every row after a reload')
  })

  it('picks a project, formats one column one way, and keeps the name pinned on horizontal scroll', async () => {
    await page.goto(`${base}#/`)
    const picker = page.locator('[data-testid="project-select"]')
    await picker.waitFor({ timeout: 30_000 })
    await picker.selectOption('nlp')
    await waitFor(async () => (await page.locator('[data-testid="exp-row"]').count()) === 2, 30_000, 'the nlp rows')
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('project')).toBe('nlp')
    // params as written (as the CLI shows them); a series column all in one form
    const cells = (col: string) => page.locator(`[data-testid="exp-row"] [data-col="${col}"]`).allInnerTexts()
    expect((await cells('params.lr')).sort()).toEqual(['0.0001', '0.0001714'])
    expect((await cells('metrics.valid/loss')).sort()).toEqual(['1.000e-4', '1.714e-4'])
    // narrow window: scroll the table right, the name stays where it was
    await page.setViewportSize({ width: 700, height: 900 })
    const name = page.locator('[data-testid="exp-row"]').first().locator('[data-col="name"]')
    const before = await name.boundingBox()
    await page.locator('[data-testid="experiments-table"]').evaluate((el) => {
      el.scrollLeft = 400
    })
    await waitFor(async () => (await page.locator('[data-testid="experiments-table"]').evaluate((el) => el.scrollLeft)) > 100, 5_000, 'a horizontal scroll')
    const after = await name.boundingBox()
    expect(after?.x).toBe(before?.x)
    await page.setViewportSize({ width: 1400, height: 900 })
  })

  it('moves between rows with the keyboard, ticks with Space and opens with Enter', async () => {
    const rows = page.locator('[data-testid="exp-row"]')
    await rows.first().focus()
    await page.keyboard.press('ArrowDown')
    const second = (await rows.nth(1).getAttribute('data-name')) as string
    await waitFor(() => page.evaluate(() => document.activeElement?.getAttribute('data-name')), 5_000, 'focus').then((n) => expect(n).toBe(second))
    await page.keyboard.press(' ')
    expect(await rows.nth(1).getAttribute('class')).toContain('selected')
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`#/exp/${second}`), { timeout: 10_000 })
    await page.evaluate(() => sessionStorage.clear())
  })
})

describe('the experiment page', () => {
  it('puts the charts above the files', async () => {
    await page.goto(`${base}#/exp/seg-run`)
    const chart = page.locator('[data-testid="chart"][data-series="loss"]')
    await chart.locator('.uplot[data-drawn]').waitFor({ timeout: 30_000 })
    const chartBox = await chart.boundingBox()
    const filesBox = await page.locator('[data-testid="files"]').boundingBox()
    expect(chartBox && filesBox && chartBox.y < filesBox.y).toBe(true)
    // the chart starts on the first screen
    expect(chartBox?.y ?? 9999).toBeLessThan(300)
  })

  it('lists files once, grouped by kind, collapsed past a few rows', async () => {
    const groups = await page.locator('[data-testid="file-group"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
    expect(groups).toEqual(['model', 'checkpoint', 'image', 'data'])
    const ckpt = page.locator('[data-testid="file-group"][data-kind="checkpoint"]')
    expect(await ckpt.locator('[data-testid="file-row"]').count()).toBe(3)
    await ckpt.locator('[data-testid="file-group-toggle"]').click()
    expect(await ckpt.locator('[data-testid="file-row"]').count()).toBe(6)
    // newest step first
    expect(await ckpt.locator('[data-testid="file-row"] .path').first().textContent()).toMatch(/ckpt-6\.pt$/)
    // the model's hash is shown (short) with the full hash at hand; a checkpoint says it has none
    expect(await page.locator('[data-testid="weight-hash"]').first().getAttribute('data-sha')).toMatch(/^[0-9a-f]{64}$/)
    expect(await ckpt.locator('[data-testid="weight-hash"]').first().textContent()).toBe('not hashed')
  })

  it('links every file the server may serve, and no link for a missing one', async () => {
    const model = page.locator('[data-testid="file-group"][data-kind="model"] [data-testid="file-link"]')
    expect(await model.textContent()).toBe('download')
    const href = (await model.getAttribute('href')) as string
    const res = await page.request.get(new URL(href, base).href)
    expect(res.status()).toBe(200)
    expect(await res.text()).toBe('the weights')
    const ckptHref = (await page.locator('[data-testid="file-group"][data-kind="checkpoint"] [data-testid="file-link"]').first().getAttribute('href')) as string
    expect((await (await page.request.get(new URL(ckptHref, base).href)).body()).length).toBe(600)
    expect(await page.locator('[data-testid="file-group"][data-kind="image"] [data-testid="file-link"]').first().textContent()).toBe('open')
    const data = page.locator('[data-testid="file-group"][data-kind="data"]')
    expect(await data.locator('[data-testid="file-problem"]').textContent()).toBe('missing')
    expect(await data.locator('[data-testid="file-link"]').count()).toBe(0)
  })

  it('steps through an image series with a slider', async () => {
    const group = page.locator('[data-testid="image-group"]')
    expect(await group.count()).toBe(1)
    const img = group.locator('[data-testid="image-preview"]')
    const width = () => waitFor(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), 30_000, 'the image')
    // the latest step is shown first
    expect(await width()).toBe(48)
    expect(await group.locator('figcaption').textContent()).toContain('step 20')
    const slider = group.locator('[data-testid="image-step"]')
    await slider.focus()
    await page.keyboard.press('ArrowLeft')
    await waitFor(async () => (await group.locator('figcaption').textContent())?.includes('step 10'), 10_000, 'step 10')
    expect(await width()).toBe(32)
    await page.screenshot({ path: join(SCREENSHOTS, 'experiment-files.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
