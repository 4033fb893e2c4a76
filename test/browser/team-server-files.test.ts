// The dashboard of a team server (`mldb server`) offers a download for every recorded
// file whose bytes its artifact store holds (issue 10 item 4), under the file's own
// name, pictures inline; a file whose bytes were never uploaded says so, with no link.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TeamServer } from '../../src/server/server-start.js'
import { ensureWebBuilt, launchBrowser, makePng, signIn, tempDir, waitFor } from './helpers.js'

const TOKEN = 'team-server-files-token'
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

let server: TeamServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let base: string
let tmp: ReturnType<typeof tempDir>
const ckpt = Buffer.from('checkpoint bytes on the server')
const png = makePng(40, 20)

async function send(method: string, path: string, body: unknown): Promise<void> {
  const raw = Buffer.isBuffer(body)
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(raw ? {} : { 'content-type': 'application/json' }) },
    body: raw ? new Uint8Array(body) : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
}

beforeAll(async () => {
  ensureWebBuilt()
  tmp = tempDir('mldb-team-files-')
  server = await startServer({ db: join(tmp.dir, 'team.db'), port: 0, token: TOKEN, artifacts: join(tmp.dir, 'artifacts') })
  let seq = 0
  const w = (path: string, body: Record<string, unknown>) => send('POST', path, { client: 'gpu-box', seq: ++seq, ...body })
  await w('api/experiments', { name: 'remote-run', project: 'vision' })
  await w('api/experiments/remote-run/points', { points: [{ name: 'loss', split: 'train', step: 0, value: 1 }] })
  // paths on the client's machine: the server never opens them
  await w('api/experiments/remote-run/files', { path: '/home/a/run/ckpt-3.pt', kind: 'checkpoint', step: 3, size: ckpt.length, mtime: 1, sha256: sha(ckpt) })
  await w('api/experiments/remote-run/files', { path: '/home/a/run/mask-step3.png', kind: 'image', step: 3, size: png.length, mtime: 1, sha256: sha(png) })
  await w('api/experiments/remote-run/files', { path: '/home/a/run/data.csv', kind: 'data', size: 10, mtime: 1, sha256: sha(Buffer.from('not sent')) })
  await send('PUT', `api/artifacts/${sha(ckpt)}`, ckpt)
  await send('PUT', `api/artifacts/${sha(png)}`, png)
  browser = await launchBrowser({ width: 1400, height: 900 })
  // the server's URL carries no token: the page signs in with it once (a cookie), as a user's first link does
  base = await signIn(browser.context, `${server.url}?token=${TOKEN}`)
  page = await browser.context.newPage()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  tmp?.remove()
})

describe("a team server's experiment page", () => {
  it('downloads a stored checkpoint under its own name', async () => {
    await page.goto(`${base}#/exp/remote-run`)
    const link = page.locator('[data-testid="file-group"][data-kind="checkpoint"] [data-testid="file-link"]')
    await link.waitFor({ timeout: 30_000 })
    expect(await link.textContent()).toBe('download')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toBe('ckpt-3.pt')
    const res = await page.request.get(new URL((await link.getAttribute('href')) as string, base).href)
    expect(res.status()).toBe(200)
    expect(Buffer.from(await res.body()).equals(ckpt)).toBe(true)
  })

  it('shows a stored image inline', async () => {
    const img = page.locator('[data-testid="image-preview"]')
    const width = await waitFor(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), 30_000, 'the image')
    expect(width).toBe(40)
    const href = (await page.locator('[data-testid="file-group"][data-kind="image"] [data-testid="file-link"]').getAttribute('href')) as string
    const res = await page.request.get(new URL(href, base).href)
    expect(res.headers()['content-type']).toBe('image/png')
  })

  it('says a file whose bytes were never uploaded is not on the server, and links nothing', async () => {
    const data = page.locator('[data-testid="file-group"][data-kind="data"]')
    expect(await data.locator('[data-testid="file-problem"]').textContent()).toBe('not uploaded')
    expect(await data.locator('[data-testid="file-link"]').count()).toBe(0)
  })

  it('refuses a name with a folder in it (400 naming the parameter)', async () => {
    const res = await page.request.get(`${base}api/artifacts/${sha(ckpt)}?name=${encodeURIComponent('../x.pt')}`)
    expect(res.status()).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^name:/)
  })
})
