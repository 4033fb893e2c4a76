// The panel route's common path (one point per step, no band, rounded values) has
// SQLite write the values' text; a chart must not tell it from the general path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

type Line = { exp: string; series: string; step: number[]; time?: number[]; last: (number | string)[]; count: number[]; nanCount: number[] }
type Batch = { buckets: number; lines: Line[] }

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('a', 'COMPLETE')
  t.db.logBatch(
    'a',
    Array.from({ length: 1_003 }, (_, step) => ({
      name: 'loss',
      split: 'train',
      step: step + 7,
      // a bucket's last point is +Infinity, another's -Infinity; the rest need rounding
      value: step === 100 ? Number.POSITIVE_INFINITY : step === 200 ? Number.NEGATIVE_INFINITY : Math.PI * 1000 ** ((step % 5) - 2) + step,
      time: 1_000 + step,
    })),
  )
})
afterEach(() => t.close())

const get = async (q: string) => (await t.json<Batch>(`/api/downsample?exp=a&series=train/loss&${q}`)).body.lines[0] as Line

describe('GET /api/downsample, one point per step and no band', () => {
  it.each([3, 7, 17])('gives the same steps, counts and %i-digit values as the general path (bands)', async (digits) => {
    for (const buckets of [10, 97, 300]) {
      const fast = await get(`buckets=${buckets}&bands=0&digits=${digits}`)
      const general = await get(`buckets=${buckets}&bands=1&digits=${digits}`)
      expect(fast.step).toEqual(general.step)
      expect(fast.count).toEqual(general.count)
      expect(fast.time).toEqual(general.time)
      expect(fast.last).toEqual(general.last)
      expect(fast.nanCount).toEqual(general.nanCount)
    }
  })

  it('writes ±Infinity as strings and leaves out wall times when asked', async () => {
    const line = await get('buckets=10&bands=0&digits=4&times=0')
    expect(line.time).toBeUndefined()
    expect(line.last[0]).toBe('Infinity')
    expect(line.last[1]).toBe('-Infinity')
    expect(line.count.reduce((a, b) => a + b, 0)).toBe(1_003)
    expect(line.step[0]).toBe(7)
  })

  it('cuts a range the way the one-line route does', async () => {
    const many = await get('buckets=37&bands=0&from=50&to=900')
    const one = await t.json<{ buckets: { step: number; count: number; last: number | string }[] }>(
      '/api/experiments/a/downsample?series=train/loss&buckets=37&from=50&to=900',
    )
    expect(many.step).toEqual(one.body.buckets.map((b) => b.step))
    expect(many.count).toEqual(one.body.buckets.map((b) => b.count))
    expect(many.last).toEqual(one.body.buckets.map((b) => b.last))
  })
})
