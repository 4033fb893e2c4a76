// The file route under a real race: another thread swaps a parent folder for a
// symlink (or deletes the file) while requests run. Checks made on the path
// before opening it cannot see such a swap; only the opened descriptor can.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

const REAL = 'recorded bytes of plot.png'
const SECRET = 'SECRET: an unrecorded file'
/** Bounds of each race: whichever comes first. */
const MAX_REQUESTS = 4_000
const MAX_MS = 8_000

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('exp', 'COMPLETE')
})
afterEach(() => t.close())

// Plain JavaScript run in a worker thread, so the swaps really interleave
// with the server's synchronous checks. It stops when told (flag[0] = 1).
const SWAPPER = `
const { workerData } = require('node:worker_threads')
const fs = require('node:fs')
const flag = new Int32Array(workerData.flag)
const { mode, dir, run, runReal, elsewhere, file, tmp } = workerData
while (Atomics.load(flag, 0) === 0) {
  try {
    if (mode === 'swap') {
      fs.renameSync(run, runReal)
      fs.symlinkSync(elsewhere, run)
      fs.unlinkSync(run)
      fs.renameSync(runReal, run)
    } else {
      fs.unlinkSync(file)
      fs.writeFileSync(tmp, workerData.content)
      fs.renameSync(tmp, file)
    }
  } catch (e) {
    // a half-done round is repaired by the next; only stop on a real surprise
    if (e.code !== 'ENOENT' && e.code !== 'EEXIST') throw e
  }
}
`

async function race(mode: 'swap' | 'vanish', id: number, data: Record<string, string>) {
  const flag = new SharedArrayBuffer(4)
  const worker = new Worker(SWAPPER, { eval: true, workerData: { ...data, mode, flag } })
  const failed = new Promise<never>((_, reject) => worker.once('error', reject))
  const seen: { status: number; body: string }[] = []
  try {
    const end = Date.now() + MAX_MS
    while (seen.length < MAX_REQUESTS && Date.now() < end) {
      const res = await Promise.race([t.app.request(`/api/files/${id}`), failed])
      seen.push({ status: res.status, body: await res.text() })
    }
  } finally {
    Atomics.store(new Int32Array(flag), 0, 1)
    await worker.terminate()
  }
  return seen
}

it('never serves an unrecorded file while a parent folder is swapped for a symlink', async () => {
  const run = join(t.dir, 'run')
  const elsewhere = join(t.dir, 'elsewhere')
  mkdirSync(run)
  mkdirSync(elsewhere)
  const file = join(run, 'plot.txt')
  writeFileSync(file, REAL)
  writeFileSync(join(elsewhere, 'plot.txt'), SECRET)
  const { id } = t.db.addFile('exp', file, { kind: 'data' })

  const seen = await race('swap', id, { run, runReal: join(t.dir, 'run-real'), elsewhere })
  const statuses = new Set(seen.map((s) => s.status))
  expect(seen.filter((s) => s.body.includes('SECRET'))).toEqual([])
  expect([...statuses].filter((s) => ![200, 403, 404].includes(s))).toEqual([])
  expect(seen.filter((s) => s.status === 200).every((s) => s.body === REAL)).toBe(true)
  // the race really ran both ways
  expect(statuses.has(200)).toBe(true)
  expect(seen.length).toBeGreaterThan(100)
})

it('answers 404, never 500, when the file vanishes between checks', async () => {
  const file = join(t.dir, 'gone', 'plot.txt')
  mkdirSync(join(t.dir, 'gone'))
  writeFileSync(file, REAL)
  const { id } = t.db.addFile('exp', file, { kind: 'data' })

  const seen = await race('vanish', id, { file, tmp: join(t.dir, 'gone', '.plot.tmp'), content: REAL })
  const statuses = new Set(seen.map((s) => s.status))
  expect([...statuses].filter((s) => s !== 200 && s !== 404)).toEqual([])
  expect(seen.filter((s) => s.status === 200).every((s) => s.body === REAL)).toBe(true)
  expect(statuses.has(404)).toBe(true)
})
