import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('downsampling a long series for charts', () => {
  const t = tempDir()
  let db: Database
  const N = 200_000
  beforeAll(() => {
    db = new Database({ path: join(t.dir, 'm.db') })
    const points = Array.from({ length: N }, (_, i) => ({
      name: 'loss',
      split: 'train',
      step: i,
      value: i === 123_457 ? 1000 : i === 150_001 ? Number.NaN : Math.sin(i / 5000),
    }))
    // in several batches, and a few values one at a time, as a training loop would
    for (let i = 0; i < N; i += 10_000) db.logBatch('e', points.slice(i, i + 10_000))
    for (let i = N; i < N + 100; i++) db.addLossValue('e', 'train', i, 0)
  })
  afterAll(() => {
    db.close()
    t.cleanup()
  })

  it('gives at most the asked number of buckets covering every point, keeping a spike and a NaN', () => {
    const buckets = db.downsample('e', 'train/loss', { buckets: 1000 })
    expect(buckets.length).toBeLessThanOrEqual(1000)
    expect(buckets.length).toBeGreaterThan(900)
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(N + 100)
    expect(Math.max(...buckets.map((b) => b.max))).toBe(1000)
    expect(buckets.reduce((n, b) => n + b.nanCount, 0)).toBe(1)
    expect(buckets.at(-1)?.last).toBe(0)
    const steps = buckets.map((b) => b.step)
    expect([...steps].sort((a, b) => a - b)).toEqual(steps)
  })

  it('zooms into a step range with raw points when the range is short', () => {
    const buckets = db.downsample('e', 'train/loss', { buckets: 1000, from: 123_000, to: 123_999 })
    expect(buckets).toHaveLength(1000)
    expect(buckets.find((b) => b.step === 123_457)?.max).toBe(1000)
    expect(buckets.every((b) => b.count === 1)).toBe(true)
  })

  it('agrees with the raw points on min and max over any range', () => {
    const raw = db.getLossValues('e', 'train').filter((p) => p.step >= 40_000 && p.step <= 160_000 && !Number.isNaN(p.value))
    const buckets = db.downsample('e', 'train/loss', { buckets: 300, from: 40_000, to: 160_000 })
    expect(Math.min(...buckets.map((b) => b.min))).toBe(Math.min(...raw.map((p) => p.value)))
    expect(Math.max(...buckets.map((b) => b.max))).toBe(Math.max(...raw.map((p) => p.value)))
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(120_001)
  })

  it('counts a value logged later into steps already summarised', () => {
    db.addLossValue('e', 'train', 50, -500)
    const buckets = db.downsample('e', 'train/loss', { buckets: 10 })
    expect(Math.min(...buckets.map((b) => b.min))).toBe(-500)
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(N + 101)
  })

  it('shows the newer values of a run resumed from a checkpoint, where steps are logged again', () => {
    db.logBatch(
      'resumed',
      Array.from({ length: 30_000 }, (_, i) => ({ name: 'loss', step: i, value: 1 })),
    )
    for (let i = 10_000; i < 30_000; i += 5_000) {
      db.logBatch(
        'resumed',
        Array.from({ length: 5_000 }, (_, k) => ({ name: 'loss', step: i + k, value: 2 })),
      )
    }
    const buckets = db.downsample('resumed', 'loss', { buckets: 100 })
    const late = buckets.filter((b) => b.step >= 10_100)
    expect(late.length).toBeGreaterThan(50)
    expect(late.every((b) => b.last === 2)).toBe(true)
    expect(buckets.filter((b) => b.step < 9_900).every((b) => b.last === 1)).toBe(true)
  })
})
