import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'
import { type BrowserContext, chromium } from 'playwright-core'

/** The package root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Where screenshots go (gitignored). */
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots')

// built once per vitest run by test/global-setup.ts; a benchmark builds on first use
export { ensureWebBuilt } from '../helpers/builds.js'

/** The chromium binary: CHROMIUM_PATH, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Headless chromium with a fresh profile in a temp dir (playwright takes the
 * profile as userDataDir, not as --user-data-dir); close() also removes it.
 */
export async function launchBrowser(viewport = { width: 1400, height: 860 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'mldb-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/**
 * Opens the URL `mldb ui` printed (with its `?token=`) once, as a user would:
 * the server sets the port's token cookie and redirects to the clean URL.
 * Returns that clean base URL (ending in '/'), which pages of `context` can open.
 */
export async function signIn(context: BrowserContext, url: string): Promise<string> {
  const page = await context.newPage()
  try {
    await page.goto(url)
    const landed = new URL(page.url())
    if (landed.searchParams.has('token')) throw new Error(`the server did not redirect ${url} to a clean URL`)
    return `${landed.origin}/`
  } finally {
    await page.close()
  }
}

/** A temp dir, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A valid PNG of width × height pixels, a diagonal gradient (so a preview is visibly an image). */
export function makePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td) >>> 0)
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round((255 * x) / Math.max(1, width - 1))
      raw[row + 2 + x * 3] = Math.round((255 * y) / Math.max(1, height - 1))
      raw[row + 3 + x * 3] = 160
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Writes a file, creating its folder. */
export function writeFileIn(path: string, data: Buffer | string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  return path
}

/** Polls fn until it returns a truthy value, or throws after timeoutMs. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
