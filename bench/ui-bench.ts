// The dashboard's speed in headless Chromium on a large database:
//  - table first paint: navigation start → first experiment row on screen, 10,000 experiments
//  - chart draw: 20 experiments × a 100,000-point series, from data arrival to drawn
//  - a 300-run sweep (3 series × 2,000 points each) on the charts page: navigation to
//    every panel drawn with every line, and the HTTP requests it took (issue 16)
// The database (10,000 experiments × 5 series × 1,000 points, plus the 20 long
// series) is built once into bench/tmp/ and reused.
// Run: npx tsx bench/ui-bench.ts
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type BatchPoint, Database } from '../src/index.js'
import { startUi } from '../src/server/start.js'
import { ensureWebBuilt, launchBrowser, ROOT, signIn } from '../test/browser/helpers.js'
import { fillSweep300, runName, SWEEP_RUNS } from '../test/browser/sweep-300-fixture.js'

const EXPERIMENTS = 10_000
const SERIES = [
  { name: 'loss', split: 'train' },
  { name: 'loss', split: 'valid' },
  { name: 'acc', split: 'train' },
  { name: 'acc', split: 'valid' },
  { name: 'lr', split: '' },
]
const POINTS = 1_000
const LONG_RUNS = 20
const LONG_POINTS = 100_000
const RUNS = 3

const dbFile = join(ROOT, 'bench', 'tmp', `ui-${EXPERIMENTS}x${SERIES.length}x${POINTS}-long${LONG_RUNS}x${LONG_POINTS}.db`)

function buildDb(): void {
  if (existsSync(dbFile)) return
  mkdirSync(join(ROOT, 'bench', 'tmp'), { recursive: true })
  const partial = `${dbFile}.partial`
  rmSync(partial, { force: true })
  const db = new Database({ path: partial })
  const t0 = Date.now()
  const start = Date.now() - 30 * 86400_000
  for (let e = 0; e < EXPERIMENTS; e++) {
    const name = `exp-${String(e).padStart(5, '0')}`
    const lr = 10 ** -(1 + (e % 4))
    const hidden = 16 << (e % 5)
    db.setExpStatus(name, 'TRAINING', { project: `project-${e % 8}` })
    db.setParams(name, { lr, hidden, dropout: (e % 3) / 10, optimizer: e % 2 ? 'sgd' : 'adam', seed: e })
    const points: BatchPoint[] = []
    const t = start + e * 60_000
    for (let s = 0; s < POINTS; s++) {
      const loss = 0.1 + 2 * Math.exp(-s * lr * 0.05) + 0.02 * Math.sin(s + e)
      points.push({ name: 'loss', split: 'train', step: s, time: t + s * 1000, value: loss })
      points.push({ name: 'loss', split: 'valid', step: s, time: t + s * 1000, value: loss + 0.05 })
      points.push({ name: 'acc', split: 'train', step: s, time: t + s * 1000, value: 1 - loss / 2.2 })
      points.push({ name: 'acc', split: 'valid', step: s, time: t + s * 1000, value: 0.97 - loss / 2.2 })
      points.push({ name: 'lr', step: s, time: t + s * 1000, value: lr })
    }
    db.logBatch(name, points)
    db.setExpStatus(name, e % 50 === 0 ? 'FAILED' : 'COMPLETE')
    if (e % 1000 === 999) console.log(`  built ${e + 1} experiments (${((Date.now() - t0) / 1000).toFixed(0)} s)`)
  }
  for (let r = 0; r < LONG_RUNS; r++) {
    const name = `long-${String(r).padStart(2, '0')}`
    db.setExpStatus(name, 'TRAINING', { project: 'long' })
    db.setParams(name, { lr: 0.001 * (r + 1) })
    for (let chunk = 0; chunk < LONG_POINTS; chunk += 50_000) {
      const points: BatchPoint[] = []
      for (let s = chunk; s < Math.min(LONG_POINTS, chunk + 50_000); s++)
        points.push({ name: 'loss', split: 'train', step: s, time: start + s * 100, value: 0.1 + 2 * Math.exp(-s / (5000 * (r + 1))) + 0.05 * Math.random() })
      db.logBatch(name, points)
    }
    db.setExpStatus(name, 'COMPLETE')
  }
  db.close()
  renameSync(partial, dbFile)
  for (const ext of ['-wal', '-shm']) rmSync(`${partial}${ext}`, { force: true })
  console.log(`  database built in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${dbFile}`)
}

const SWEEP_POINTS = 2_000
const sweepFile = join(ROOT, 'bench', 'tmp', `ui-sweep-${SWEEP_RUNS}x3x${SWEEP_POINTS}.db`)

function buildSweepDb(): void {
  if (existsSync(sweepFile)) return
  mkdirSync(join(ROOT, 'bench', 'tmp'), { recursive: true })
  const partial = `${sweepFile}.partial`
  rmSync(partial, { force: true })
  fillSweep300(partial, SWEEP_POINTS)
  renameSync(partial, sweepFile)
  for (const ext of ['-wal', '-shm']) rmSync(`${partial}${ext}`, { force: true })
}

/**
 * The charts page of a 300-run sweep, as a user opens it from a link: navigation
 * start → both panels (loss: 600 lines, acc: 300) drawn with every line, in the
 * page's clock; and how many API requests that took.
 */
async function chart300(): Promise<Record<string, number>> {
  buildSweepDb()
  const ui = await startUi({ dbPath: sweepFile, port: 0, host: '127.0.0.1' })
  const browser = await launchBrowser({ width: 1400, height: 900 })
  const base = await signIn(browser.context, ui.url)
  const url = `${base}#/charts?${Array.from({ length: SWEEP_RUNS }, (_, e) => `exp=${runName(e)}`).join('&')}`
  const times: number[] = []
  const requests: number[] = []
  const panelRequests: number[] = []
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await browser.context.newPage()
      const seen: string[] = []
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname
        if (path.startsWith('/api/')) seen.push(path)
      })
      await page.goto(url)
      const h = await page.waitForFunction(
        (want) => {
          const draws = (window as unknown as { __mldbChartDraws?: { title: string; lines: number; drawnAt: number }[] }).__mldbChartDraws ?? []
          const loss = draws.find((d) => d.title === 'loss' && d.lines >= want.loss)
          const acc = draws.find((d) => d.title === 'acc' && d.lines >= want.acc)
          return loss && acc ? Math.max(loss.drawnAt, acc.drawnAt) : undefined
        },
        { loss: 2 * SWEEP_RUNS, acc: SWEEP_RUNS },
        { timeout: 120_000, polling: 50 },
      )
      const drawn = (await h.jsonValue()) as number
      // the first load warms the server's page cache and the browser's; it is not counted
      if (i > 0) {
        times.push(drawn)
        requests.push(seen.filter((p) => p !== '/api/events').length)
        panelRequests.push(seen.filter((p) => p === '/api/downsample').length / 2)
      }
      await page.close()
    }
  } finally {
    await browser.close()
    await ui.close()
  }
  return { chart_300_runs_ms: median(times), chart_300_runs_requests: median(requests), chart_300_runs_requests_per_panel: median(panelRequests) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

/** Measures the dashboard in headless Chromium; returns the figures in ms. */
export async function runUiBench(): Promise<Record<string, number>> {
  ensureWebBuilt()
  // MLDB_UI_BENCH=chart300 measures only the sweep chart (skips the 10,000-run database)
  if (process.env.MLDB_UI_BENCH === 'chart300') return chart300()
  const sweep = await chart300()
  buildDb()
  const ui = await startUi({ dbPath: dbFile, port: 0, host: '127.0.0.1' })
  const browser = await launchBrowser({ width: 1400, height: 900 })
  const base = await signIn(browser.context, ui.url)
  const figures: Record<string, number> = {}
  try {
    // the API call behind the table, as the page makes it
    const apiTimes: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      // the table asks for the compact listing (each row's stored summary, expanded in the browser)
      const res = await fetch(`${base}api/experiments?limit=50000`, { headers: { authorization: `Bearer ${ui.token}`, 'x-mldb-listing': 'compact' } })
      await res.arrayBuffer()
      apiTimes.push(performance.now() - t)
    }
    figures.experimentsApiMs = median(apiTimes)

    const paints: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.context.newPage()
      // record, in the page's own clock, when the first row is in the DOM and painted
      await page.addInitScript(() => {
        const w = window as unknown as { __firstRow?: number }
        new MutationObserver((_m, obs) => {
          if (w.__firstRow === undefined && document.querySelector('[data-testid="exp-row"]')) {
            obs.disconnect()
            requestAnimationFrame(() => {
              w.__firstRow = performance.now()
            })
          }
        }).observe(document, { childList: true, subtree: true })
      })
      // all projects (the table opens on the latest one otherwise): the figure is of 10,000 rows
      await page.goto(`${base}#/?all=1`)
      await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, null, { timeout: 120_000 })
      paints.push(await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow))
      const rows = await page.locator('[data-testid="row-count"]').textContent()
      if (i === 0) console.log(`  table: ${rows}`)
      await page.close()
    }
    figures.tableFirstPaintMs = median(paints)

    const draws: number[] = []
    const totals: number[] = []
    const exps = Array.from({ length: LONG_RUNS }, (_, r) => `exp=long-${String(r).padStart(2, '0')}`).join('&')
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.context.newPage()
      await page.goto(`${base}#/charts?${exps}`)
      const want = LONG_RUNS * LONG_POINTS
      const d = await page.waitForFunction(
        (n) =>
          (window as unknown as { __mldbChartDraws?: { points: number; arrivedAt: number; drawnAt: number }[] }).__mldbChartDraws?.find((x) => x.points >= n),
        want,
        { timeout: 120_000 },
      )
      const draw = (await d.jsonValue()) as { arrivedAt: number; drawnAt: number }
      draws.push(draw.drawnAt - draw.arrivedAt)
      totals.push(draw.drawnAt)
      await page.close()
    }
    figures.chartDrawAfterDataMs = median(draws)
    figures.chartNavigationToDrawnMs = median(totals)
  } finally {
    await browser.close()
    await ui.close()
  }
  // the keys issue 16 names, beside the older ones
  return {
    ...figures,
    experiments_api_10k_ms: figures.experimentsApiMs ?? Number.NaN,
    table_10k_first_paint_ms: figures.tableFirstPaintMs ?? Number.NaN,
    ...sweep,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await runUiBench()
  console.log('mldb ui benchmark (median of 3, ms):')
  console.log(`  experiments API (10,000 rows):                ${figures.experimentsApiMs?.toFixed(0)}  (target ≤ 150)`)
  console.log(`  table first paint:                            ${figures.tableFirstPaintMs?.toFixed(0)}  (target ≤ 1500)`)
  console.log(`  chart of 20 × 100,000 points, after data:     ${figures.chartDrawAfterDataMs?.toFixed(0)}  (target ≤ 1000)`)
  console.log(`  chart page, navigation to drawn:              ${figures.chartNavigationToDrawnMs?.toFixed(0)}`)
  console.log(`  300 runs × 3 series × 2,000 points, drawn:    ${figures.chart_300_runs_ms?.toFixed(0)}  (target ≤ 1500)`)
  console.log(
    `  ... its API requests:                         ${figures.chart_300_runs_requests}  (${figures.chart_300_runs_requests_per_panel} per panel; target ≤ 2)`,
  )
}
