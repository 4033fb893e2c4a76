import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Bucket, SeriesSummary } from '../../src/index.js'
import { expUrl, setupApp } from './helpers.js'

type Points = { series: string; points: [number, number, number | string][] }
type Buckets = { series: string; buckets: (Omit<Bucket, 'min' | 'max' | 'last'> & { min: number | string; max: number | string; last: number | string })[] }

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('exp', 'TRAINING')
  t.db.logBatch('exp', [
    ...Array.from({ length: 10 }, (_, step) => ({ name: 'loss', split: 'train', step, value: 1 / (step + 1), time: 1_000 + step })),
    { name: 'loss', split: 'valid', step: 0, value: Number.NaN, time: 2_000 },
    { name: 'rmse', step: 0, value: 0.5, time: 3_000 },
  ])
})
afterEach(() => t.close())

describe('GET /api/experiments/:name/series', () => {
  it('lists every series with its summary', async () => {
    const r = await t.json<{ series: SeriesSummary[] }>(expUrl('exp', '/series'))
    expect(r.status).toBe(200)
    expect(r.body.series.map((s) => s.key)).toEqual(['rmse', 'train/loss', 'valid/loss'])
    expect(r.body.series[1]).toMatchObject({ count: 10, firstStep: 0, lastStep: 9, last: 0.1, min: 0.1, max: 1 })
    expect(r.body.series[2]).toMatchObject({ count: 1, last: 'NaN', nanCount: 1 })
  })

  it('answers 404 for an unknown experiment', async () => {
    expect((await t.json(expUrl('nope', '/series'))).status).toBe(404)
  })
})

describe('GET /api/experiments/:name/points', () => {
  it('returns raw [step, time, value] points, all or only after a step', async () => {
    const all = await t.json<Points>(expUrl('exp', '/points?series=train/loss'))
    expect(all.body.series).toBe('train/loss')
    expect(all.body.points).toHaveLength(10)
    expect(all.body.points[0]).toEqual([0, 1_000, 1])

    const after = await t.json<Points>(expUrl('exp', '/points?series=train/loss&after=7'))
    expect(after.body.points).toEqual([
      [8, 1_008, 1 / 9],
      [9, 1_009, 0.1],
    ])
    // a live client asks again after its last step and gets only the new point
    t.db.addLossValue('exp', 'train', 10, 0.05)
    const next = await t.json<Points>(expUrl('exp', '/points?series=train/loss&after=9'))
    expect(next.body.points.map((p) => [p[0], p[2]])).toEqual([[10, 0.05]])
    const limited = await t.json<Points>(expUrl('exp', '/points?series=train/loss&after=2&limit=3'))
    expect(limited.body.points.map((p) => p[0])).toEqual([3, 4, 5])
  })

  it('returns negative steps (MLflow logs step -1): all of them with no after, and after a negative step', async () => {
    t.db.logBatch(
      'exp',
      [-3, -1].map((step) => ({ name: 'pre', step, value: step, time: 5_000 })),
    )
    const all = await t.json<Points>(expUrl('exp', '/points?series=pre'))
    expect(all.body.points.map((p) => p[0])).toEqual([-3, -1])
    const after = await t.json<Points>(expUrl('exp', '/points?series=pre&after=-3'))
    expect(after.body.points.map((p) => p[0])).toEqual([-1])
    const buckets = await t.json<Buckets>(expUrl('exp', '/downsample?series=pre&buckets=2'))
    expect(buckets.body.buckets.map((b) => [b.step, b.count])).toEqual([
      [-3, 1],
      [-1, 1],
    ])
  })

  it('writes NaN as "NaN" and addresses split-less series by name', async () => {
    expect((await t.json<Points>(expUrl('exp', '/points?series=valid/loss'))).body.points).toEqual([[0, 2_000, 'NaN']])
    expect((await t.json<Points>(expUrl('exp', '/points?series=rmse'))).body.points).toEqual([[0, 3_000, 0.5]])
  })

  it.each([
    ['', /series/],
    ['?series=', /series/],
    ['?series=train/loss&after=x', /after/],
    ['?series=train/loss&after=1.5', /after/],
    ['?series=train/loss&limit=0', /limit/],
  ])('refuses %s with 400', async (query, message) => {
    const r = await t.json(expUrl('exp', `/points${query}`))
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(message)
  })

  it('answers 404 naming an unknown series', async () => {
    const r = await t.json(expUrl('exp', '/points?series=test/loss'))
    expect(r.status).toBe(404)
    expect(r.body.error.message).toContain('test/loss')
  })
})

describe('GET /api/experiments/:name/downsample', () => {
  it('reduces a long series to buckets that keep a spike and a NaN', async () => {
    const n = 200_000
    const points = Array.from({ length: n }, (_, step) => ({ name: 'loss', split: 'long', step, value: Math.sin(step / 500) }))
    points[123_457] = { name: 'loss', split: 'long', step: 123_457, value: 1e6 }
    points[150_001] = { name: 'loss', split: 'long', step: 150_001, value: Number.NaN }
    t.db.logBatch('exp', points)

    const r = await t.json<Buckets>(expUrl('exp', '/downsample?series=long/loss&buckets=500'))
    expect(r.status).toBe(200)
    expect(r.body.series).toBe('long/loss')
    expect(r.body.buckets.length).toBeLessThanOrEqual(500)
    expect(r.body.buckets.length).toBeGreaterThan(400)
    expect(r.body.buckets.reduce((s, b) => s + b.count, 0)).toBe(n)
    const spike = r.body.buckets.filter((b) => b.max === 1e6)
    expect(spike).toHaveLength(1)
    expect(spike[0]?.step).toBeLessThanOrEqual(123_457)
    expect(r.body.buckets.reduce((s, b) => s + b.nanCount, 0)).toBe(1)

    // zoomed in on the spike: fine buckets within the range only
    const zoom = await t.json<Buckets>(expUrl('exp', '/downsample?series=long/loss&buckets=100&from=123000&to=124000'))
    expect(zoom.body.buckets[0]?.step).toBe(123_000)
    expect(zoom.body.buckets.reduce((s, b) => s + b.count, 0)).toBe(1001)
    expect(zoom.body.buckets.some((b) => b.max === 1e6)).toBe(true)
    // a chart's fractional zoom edges widen to whole steps
    const frac = await t.json<Buckets>(expUrl('exp', '/downsample?series=long/loss&buckets=10&from=99.5&to=109.2'))
    expect(frac.body.buckets.reduce((s, b) => s + b.count, 0)).toBe(12) // steps 99..110
  })

  it('uses 1000 buckets by default and validates its query', async () => {
    const r = await t.json<Buckets>(expUrl('exp', '/downsample?series=train/loss'))
    expect(r.body.buckets).toHaveLength(10)
    for (const q of [
      'series=train/loss&buckets=0',
      'series=train/loss&buckets=100001',
      'series=train/loss&from=abc',
      'series=train/loss&to=1e999',
      'buckets=10',
    ]) {
      const bad = await t.json(expUrl('exp', `/downsample?${q}`))
      expect(bad.status).toBe(400)
    }
  })
})
