import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { type Child, childScript, killAll, startChild } from './lib/child.js'

const WRITERS = 16
const PER_CALL = 200
const BATCHES = 4 // of 100 steps × 2 series
const RUN_STEPS = 60
const COLLIDE = 40

const dir = mkdtempSync(join(tmpdir(), 'mldb-many-'))
const children: Child[] = []
afterAll(() => {
  killAll(children)
  rmSync(dir, { recursive: true, force: true })
})

const valueAt = (i: number, step: number) => i + step / 1000
const range = (n: number) => Array.from({ length: n }, (_, k) => k)

describe('sixteen processes logging into one new file at once', () => {
  it('keeps every point of every writer and reports no error', async () => {
    const path = join(dir, 'many.db')
    for (let i = 0; i < WRITERS; i++) {
      children.push(startChild(childScript('many-writer.ts'), [path, String(i), String(PER_CALL), String(BATCHES), String(RUN_STEPS), String(COLLIDE)]))
    }
    // Release them together once all have loaded, so all open the brand-new file at once.
    await Promise.all(children.map((c) => c.waitFor((l) => l.includes('ready'))))
    for (const c of children) c.proc.stdin.end('go\n')
    const exits = await Promise.all(children.map((c) => c.exited))

    exits.forEach((exit, i) => {
      const c = children[i] as Child
      expect({ writer: i, ...exit, stderr: c.stderr(), done: c.lines.includes('done') }).toEqual({
        writer: i,
        code: 0,
        signal: null,
        stderr: '',
        done: true,
      })
    })

    using db = new Database({ path })
    for (let i = 0; i < WRITERS; i++) {
      const own = `writer-${i}`
      const perCall = db.getMetricValues(own, 'per_call')
      expect(perCall.map((p) => [p.step, p.value])).toEqual(range(PER_CALL).map((s) => [s, valueAt(i, s)]))
      const train = db.getLossValues(own, 'train')
      const valid = db.getLossValues(own, 'valid')
      expect(train.map((p) => [p.step, p.value])).toEqual(range(BATCHES * 100).map((s) => [s, valueAt(i, s)]))
      expect(valid.map((p) => [p.step, p.value])).toEqual(range(BATCHES * 100).map((s) => [s, 100 - valueAt(i, s)]))

      const last = BATCHES * 100 - 1
      const summary = Object.fromEntries(db.getSeries(own).map((s) => [s.key, [s.count, s.firstStep, s.lastStep, s.min, s.max, s.last, s.nanCount]]))
      expect(summary).toEqual({
        per_call: [PER_CALL, 0, PER_CALL - 1, i, valueAt(i, PER_CALL - 1), valueAt(i, PER_CALL - 1), 0],
        'train/loss': [BATCHES * 100, 0, last, i, valueAt(i, last), valueAt(i, last), 0],
        'valid/loss': [BATCHES * 100, 0, last, 100 - valueAt(i, last), 100 - i, 100 - valueAt(i, last), 0],
      })

      const run = `run-${i}`
      expect(db.getExpStatus(run)).toBe('COMPLETE')
      expect(db.getParams(run)).toEqual({ writer: i })
      expect(db.getLossValues(run, 'train').map((p) => p.value)).toEqual(range(RUN_STEPS).map((s) => valueAt(i, s)))
      expect(db.getMetricValues(run, 'acc', { split: 'train' }).map((p) => p.value)).toEqual(range(RUN_STEPS))
    }

    // Sixteen values at each step of one series, one from each writer.
    const collide = db.getMetricValues('shared', 'collide')
    expect(collide).toHaveLength(WRITERS * COLLIDE)
    for (let s = 0; s < COLLIDE; s++) {
      const values = collide.filter((p) => p.step === s).map((p) => p.value)
      expect(values.sort((a, b) => a - b)).toEqual(range(WRITERS))
    }
    const [shared] = db.getSeries('shared')
    expect(shared).toMatchObject({ key: 'collide', count: WRITERS * COLLIDE, firstStep: 0, lastStep: COLLIDE - 1, min: 0, max: WRITERS - 1 })

    // Summaries and chart blocks agree with the points for every series.
    const mismatched = db.query(`
      SELECT s.id, s.count,
        (SELECT count(*) FROM points p WHERE p.series_id = s.id) AS points,
        (SELECT coalesce(sum(b.count), 0) FROM point_blocks b WHERE b.series_id = s.id) + s.unblocked AS blocked
      FROM series s WHERE s.count <> points OR s.count <> blocked`)
    expect(mismatched).toEqual([])
    expect(db.query('SELECT count(*) AS n FROM experiments')).toEqual([{ n: 2 * WRITERS + 1 }])
    expect(db.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
  })
})
