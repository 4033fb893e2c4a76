import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { type Child, childScript, killAll, startChild } from './lib/child.js'

const dir = mkdtempSync(join(tmpdir(), 'mldb-kill-'))
const children: Child[] = []
afterAll(() => {
  killAll(children)
  rmSync(dir, { recursive: true, force: true })
})

/** The steps the child printed, i.e. whose calls had returned, per series. */
function returned(lines: string[]): { perCall: number[]; batchLast: number } {
  const perCall: number[] = []
  let batchLast = -1
  for (const line of lines) {
    const [kind, step] = line.split(' ')
    if (kind === 'per_call') perCall.push(Number(step))
    else if (kind === 'batch') batchLast = Number(step)
  }
  return { perCall, batchLast }
}

describe('a writer killed with SIGKILL mid-logging', () => {
  const path = join(dir, 'killed.db')
  // The same file each round: later rounds open a file whose last writer was killed.
  it.each([30, 400, 2500])('loses no value whose call had returned (killed after %i lines)', async (after) => {
    const exp = `killed-after-${after}`
    const child = startChild(childScript('kill-writer.ts'), [path, exp])
    children.push(child)
    await child.waitFor((l) => l.length >= after)
    child.proc.kill('SIGKILL')
    const exit = await child.exited
    expect(exit.signal).toBe('SIGKILL')
    expect(child.stderr()).toBe('')
    const { perCall, batchLast } = returned(child.lines)
    expect(perCall.length).toBeGreaterThan(0)

    using db = new Database({ path })
    const stored = db.getMetricValues(exp, 'per_call')
    const storedSteps = new Set(stored.map((p) => p.step))
    expect(perCall.filter((s) => !storedSteps.has(s))).toEqual([])
    // At most the one call in flight when the kill came may have landed unprinted.
    expect(stored.length - perCall.length).toBeLessThanOrEqual(1)
    for (const p of stored) expect(p.value).toBe(p.step * 0.5)

    const batch = batchLast < 0 ? [] : db.getMetricValues(exp, 'batch')
    expect(batch.length).toBeGreaterThanOrEqual(batchLast + 1)
    // A batch is one transaction: whole batches only, in order, nothing torn.
    expect(batch.length % 50).toBe(0)
    expect(batch.map((p) => p.step)).toEqual(batch.map((_, k) => k))
    const summary = db.getSeries(exp).find((s) => s.key === 'per_call')
    expect(summary?.count).toBe(stored.length)
    expect(db.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
  })
})
