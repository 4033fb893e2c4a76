import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

/** WAL frames written by fn: the pages its commits wrote. */
function framesWritten(db: Database, fn: () => void): number {
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  fn()
  const [r] = db.sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number }[]
  return r?.log ?? Number.NaN
}

/** The summary of a list of values as getSeries gives it (NaN never min or max). */
function expected(values: number[]) {
  const real = values.filter((v) => !Number.isNaN(v))
  return {
    count: values.length,
    last: values.at(-1),
    min: real.length ? Math.min(...real) : Number.NaN,
    max: real.length ? Math.max(...real) : Number.NaN,
    nanCount: values.length - real.length,
  }
}

describe('one addMetricValue call writes one page; summaries stay exact', () => {
  const ctx = freshDatabasePerTest()

  it('commits about one page per call, as a plain INSERT does (an eager series update wrote two)', () => {
    ctx.db.addMetricValue('e', 'loss', 0, 1)
    const calls = 640
    const frames = framesWritten(ctx.db, () => {
      for (let s = 1; s <= calls; s++) ctx.db.addMetricValue('e', 'loss', s, 1 / s)
    })
    // A raw one-insert-per-commit loop over the same table writes ~1.4 frames per row (page splits included).
    expect(frames).toBeLessThan(1.6 * calls)
    expect(ctx.db.getSeries('e')[0]).toMatchObject({ count: calls + 1, lastStep: calls })
  })

  it('run.log of one value takes the same one-page path', () => {
    const run = ctx.db.startRun({ name: 'r' })
    run.log({ loss: 1 })
    const calls = 640
    const frames = framesWritten(ctx.db, () => {
      for (let s = 0; s < calls; s++) run.log({ loss: 1 / (s + 1) })
    })
    expect(frames).toBeLessThan(1.6 * calls)
    expect(ctx.db.getSeries('r')[0]).toMatchObject({ key: 'loss', count: calls + 1, lastStep: calls })
    run.finish()
  })

  it('another connection reads exact summaries, filters and counts while points are still in the tail', () => {
    const values: number[] = []
    for (let s = 0; s < 100; s++) {
      const v = s === 70 ? Number.NaN : s === 80 ? Number.POSITIVE_INFINITY : s === 90 ? Number.NEGATIVE_INFINITY : s / 10
      values.push(v)
      ctx.db.addMetricValue('e', 'acc', s, v, { split: 'valid' })
    }
    // 64 folded into a block, 36 still past the summary in the writer's tail.
    using reader = new Database({ path: join(ctx.dir, 'm.db') })
    expect(reader.getSeries('e')[0]).toMatchObject({ key: 'valid/acc', firstStep: 0, lastStep: 99, ...expected(values) })
    expect(reader.listExperiments()[0]?.series['valid/acc']).toMatchObject(expected(values))
    expect(reader.listExperiments({ where: 'metrics.valid/acc > 9.8' }).map((e) => e.name)).toEqual(['e'])
    expect(reader.countExperiments({ where: 'count(metrics.valid/acc) = 100' })).toBe(1)
    expect(reader.downsample('e', 'valid/acc', { buckets: 10 }).reduce((n, b) => n + b.count, 0)).toBe(100)
    // The writer carries on after a reader folded its tail.
    ctx.db.addMetricValue('e', 'acc', 100, -5, { split: 'valid' })
    ctx.db.addMetricValue('e', 'acc', 50, 7, { split: 'valid' })
    ctx.db.addMetricValue('e', 'acc', 100, 3, { split: 'valid' })
    expect(reader.getSeries('e')[0]).toMatchObject({ count: 103, lastStep: 100, last: 3, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY })
    expect(
      reader
        .getMetricValues('e', 'acc', { split: 'valid' })
        .filter((p) => p.step === 100)
        .map((p) => p.value),
    ).toEqual([-5, 3])
  })

  it('leaves the series rows exact for plain SQL once closed', () => {
    for (let s = 0; s < 30; s++) ctx.db.addMetricValue('e', 'x', s, s)
    ctx.db.close()
    const raw = new Sqlite(join(ctx.dir, 'm.db'), { readonly: true })
    try {
      expect(raw.prepare("SELECT count, last_step, last_value, max_value, unblocked, tail FROM series WHERE name = 'x'").get()).toEqual({
        count: 30,
        last_step: 29,
        last_value: 29,
        max_value: 29,
        unblocked: 30,
        tail: 0,
      })
    } finally {
      raw.close()
    }
  })

  it('raw SQL through db.query sees the tail folded in', () => {
    for (let s = 0; s < 10; s++) ctx.db.addMetricValue('e', 'x', s, s)
    expect(ctx.db.query("SELECT count, last_value FROM series WHERE name = 'x'")).toEqual([{ count: 10, last_value: 9 }])
  })
})
