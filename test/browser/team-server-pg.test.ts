// The dashboard of a team server on PostgreSQL, used as a team would: the table lists
// what the machines logged, charts draw, an experiment page opens, live changes show,
// and no request of the page fails (issue 10 item 6).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TeamServer } from '../../src/server/server-start.js'
import { canStartPostgres, type Postgres, startPostgres } from '../helpers/postgres.js'
import { ensureWebBuilt, launchBrowser, SCREENSHOTS, signIn, tempDir, waitFor } from './helpers.js'

const TOKEN = 'team-server-pg-token'
let cluster: Postgres | undefined
let server: TeamServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let base: string
let tmp: ReturnType<typeof tempDir>
const failed: string[] = []
let seq = 0

async function write(path: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ client: 'gpu-box', seq: ++seq, ...body }),
  })
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
}

async function logRun(name: string, lr: number): Promise<void> {
  await write('api/experiments', { name, project: 'vision', params: { lr, layers: 4 } })
  const points = []
  for (let step = 0; step < 200; step++) {
    points.push({ name: 'loss', split: 'train', step, value: (1 / (step + 1)) * (1 + lr) })
    points.push({ name: 'loss', split: 'valid', step, value: (1.2 / (step + 1)) * (1 + lr) })
  }
  await write(`api/experiments/${name}/points`, { points })
}

beforeAll(async () => {
  if (!canStartPostgres()) throw new Error('PostgreSQL is needed for this test: apt-get install -y postgresql (.ci/run does it)')
  ensureWebBuilt()
  cluster = startPostgres()
  if (!cluster) throw new Error('PostgreSQL could not start')
  tmp = tempDir('mldb-team-pg-')
  server = await startServer({ db: cluster.createDatabase('dashboard'), port: 0, token: TOKEN, artifacts: join(tmp.dir, 'artifacts') })
  await logRun('resnet-a', 0.1)
  await logRun('resnet-b', 0.01)
  await write('api/experiments/resnet-a/status', { status: 'COMPLETE' })
  browser = await launchBrowser({ width: 1400, height: 900 })
  base = await signIn(browser.context, `${server.url}?token=${TOKEN}`)
  page = await browser.context.newPage()
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
  })
  page.on('pageerror', (e) => failed.push(`page error: ${e.message}`))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  cluster?.stop()
  tmp?.remove()
})

const rowNames = () => page.$$eval('[data-testid="exp-row"]', (rows) => rows.map((r) => r.getAttribute('data-name') ?? ''))

describe('the dashboard of a team server on PostgreSQL', () => {
  it('lists the experiments, charts two of them and shows a new one live, with no failed request', async () => {
    await page.goto(base)
    await waitFor(async () => ((await rowNames()).length === 2 ? true : undefined), 30_000, 'two table rows')
    expect((await rowNames()).sort()).toEqual(['resnet-a', 'resnet-b'])
    for (const name of ['resnet-a', 'resnet-b']) await page.locator(`[data-testid="exp-row"][data-name="${name}"] [data-testid="row-check"]`).check()
    await page.click('[data-testid="chart-button"]')
    const loss = page.locator('[data-testid="chart"][data-series="loss"]')
    await loss.locator('.uplot[data-drawn]').waitFor({ timeout: 30_000 })
    expect(await loss.locator('[data-testid="legend-item"]').count()).toBe(4)
    await page.screenshot({ path: join(SCREENSHOTS, 'team-server-pg-charts.png') })

    await page.goto(`${base}#/exp/resnet-a`)
    await page.locator('[data-testid="chart"][data-series="loss"] .uplot[data-drawn]').waitFor({ timeout: 30_000 })
    expect(await page.locator('body').textContent()).toContain('COMPLETE')

    // another machine logs a new run: the table shows it without a reload
    await page.goto(base)
    await waitFor(async () => ((await rowNames()).length === 2 ? true : undefined), 30_000, 'two table rows')
    await logRun('resnet-c', 0.001)
    await waitFor(async () => ((await rowNames()).includes('resnet-c') ? true : undefined), 30_000, 'the new run in the table')
    expect(failed).toEqual([])
  })
})
