import { describe, expect, it } from 'vitest'
import { seriesMismatches } from '../../src/api/maintenance.js'
import { ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

// MLflow logs negative steps (step -1: an evaluation before training); any safe integer is a step.
describe('negative steps', () => {
  const ctx = freshDatabasePerTest()
  const steps = (pts: { step: number }[]) => pts.map((p) => p.step)

  it('keeps steps -5, -1, 0, 3 logged out of order and reads them back in step order', () => {
    ctx.db.addMetricValue('e', 'acc', 3, 0.9)
    ctx.db.addMetricValue('e', 'acc', -1, 0.1)
    ctx.db.logBatch('e', [
      { name: 'acc', step: 0, value: 0.5 },
      { name: 'acc', step: -5, value: 0.05 },
    ])
    expect(steps(ctx.db.getMetricValues('e', 'acc'))).toEqual([-5, -1, 0, 3])
    expect(ctx.db.getMetricValues('e', 'acc').map((p) => p.value)).toEqual([0.05, 0.1, 0.5, 0.9])
    const s = ctx.db.getSeries('e').find((x) => x.name === 'acc')
    expect(s).toMatchObject({ count: 4, firstStep: -5, lastStep: 3, last: 0.9, min: 0.05, max: 0.9 })
    expect(seriesMismatches(ctx.db)).toEqual([])
  })

  it('pages with afterStep across negative steps; omitted means from the very first step', () => {
    for (const st of [-(2 ** 53 - 1), -7, -5, -1, 0, 3]) ctx.db.addMetricValue('e', 'loss', st, st)
    expect(steps(ctx.db.getMetricValues('e', 'loss', { limit: 2 }))).toEqual([-(2 ** 53 - 1), -7])
    expect(steps(ctx.db.getMetricValues('e', 'loss', { afterStep: -7, limit: 2 }))).toEqual([-5, -1])
    expect(steps(ctx.db.getMetricValues('e', 'loss', { afterStep: -1 }))).toEqual([0, 3])
    expect(steps(ctx.db.getMetricValues('e', 'loss', { afterStep: -(2 ** 53) }))).toHaveLength(6)
    expect(() => ctx.db.getMetricValues('e', 'loss', { afterStep: -(2 ** 53) - 2 })).toThrow(/afterStep/)
  })

  it('refuses only what is not a safe integer', () => {
    for (const bad of [1.5, 2 ** 53, -(2 ** 53), Number.NaN, '1']) {
      expect(() => ctx.db.addMetricValue('e', 'x', bad as number, 1)).toThrow(ValidationError)
    }
    expect(ctx.db.listExperiments({}).length).toBe(0)
  })

  it('closes blocks and downsamples a series that runs from negative to positive steps', () => {
    // one at a time (the tail path), then a batch behind the blocks (the widening path)
    for (let st = -150; st < 50; st++) ctx.db.addMetricValue('e', 'loss', st, st === -100 ? 1000 : st)
    ctx.db.logBatch(
      'e',
      Array.from({ length: 100 }, (_, i) => ({ name: 'loss', step: -300 + i, value: -1 })),
    )
    expect(seriesMismatches(ctx.db)).toEqual([])
    const all = ctx.db.downsample('e', 'loss', { buckets: 10 })
    expect(all.reduce((n, b) => n + b.count, 0)).toBe(300)
    expect(all[0]?.step).toBe(-300)
    expect(Math.max(...all.map((b) => b.max))).toBe(1000)
    const zoom = ctx.db.downsample('e', 'loss', { buckets: 5, from: -119, to: -100 })
    expect(zoom.map((b) => b.step)).toEqual([-119, -115, -111, -107, -103])
    expect(zoom.reduce((n, b) => n + b.count, 0)).toBe(20)
    expect(zoom.at(-1)?.max).toBe(1000)
  })
})
