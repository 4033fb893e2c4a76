import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupApp } from './helpers.js'

type Line = {
  exp: string
  series: string
  step: number[]
  time: number[]
  last: (number | string)[]
  min?: (number | string)[]
  max?: number[]
  count: number[]
}
type Batch = { buckets: number; lines: Line[]; missing: { exp: string; series: string }[] }

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  for (const e of ['a', 'b', 'c']) {
    t.db.setExpStatus(e, 'COMPLETE')
    t.db.logBatch(
      e,
      Array.from({ length: 100 }, (_, step) => ({
        name: 'loss',
        split: 'train',
        step,
        value: step === 50 && e === 'b' ? Number.NaN : 1 / (step + 1),
        time: 1_000 + step,
      })),
    )
  }
  t.db.logBatch('a', [{ name: 'loss', split: 'valid', step: 0, value: 2, time: 5 }])
})
afterEach(() => t.close())

const url = (q: string) => `/api/downsample?${q}`

describe('GET /api/downsample (one request per chart panel)', () => {
  it('answers every experiment × series pair in one response, as columns', async () => {
    const r = await t.json<Batch>(url('exp=a&exp=b&exp=c&series=train/loss&series=valid/loss&buckets=10'))
    expect(r.status).toBe(200)
    expect(r.body.lines.map((l) => `${l.exp}:${l.series}`)).toEqual(['a:train/loss', 'a:valid/loss', 'b:train/loss', 'c:train/loss'])
    expect(r.body.missing).toEqual([
      { exp: 'b', series: 'valid/loss' },
      { exp: 'c', series: 'valid/loss' },
    ])
    const a = r.body.lines[0] as Line
    expect(a.step).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
    expect(a.count).toEqual(Array(10).fill(10))
    expect(a.max?.[0]).toBe(1)
    expect(a.last[9]).toBe(1 / 100)
    expect(a.time?.[9]).toBe(1_099)
    // a NaN inside a bucket is counted and survives as a string, never averaged away
    const b = r.body.lines[2] as Line
    expect(b.last[5]).toBe(1 / 60)
    expect((b as unknown as { nanCount: number[] }).nanCount[5]).toBe(1)
  })

  it('the same buckets as the one-line route, over a step range', async () => {
    const one = await t.json<{ buckets: { step: number; last: number }[] }>('/api/experiments/a/downsample?series=train/loss&buckets=4&from=10&to=29')
    const r = await t.json<Batch>(url('exp=a&series=train/loss&buckets=4&from=10&to=29'))
    expect(r.body.lines[0]?.step).toEqual(one.body.buckets.map((b) => b.step))
    expect(r.body.lines[0]?.last).toEqual(one.body.buckets.map((b) => b.last))
  })

  it('matches the one-line route on a long series (the block path) too, and skips trashed runs', async () => {
    t.db.setExpStatus('long', 'COMPLETE')
    t.db.logBatch(
      'long',
      Array.from({ length: 25_000 }, (_, step) => ({ name: 'loss', step, value: Math.sin(step / 100), time: step })),
    )
    const one = await t.json<{ buckets: { step: number; last: number; min: number; max: number; count: number }[] }>(
      '/api/experiments/long/downsample?series=loss&buckets=300',
    )
    const r = await t.json<Batch>(url('exp=long&series=loss&buckets=300'))
    const l = r.body.lines[0] as Line
    expect(l.step).toEqual(one.body.buckets.map((b) => b.step))
    expect(l.min).toEqual(one.body.buckets.map((b) => b.min))
    expect(l.count).toEqual(one.body.buckets.map((b) => b.count))
    t.db.trashExperiment('a')
    const trashed = await t.json<Batch>(url('exp=a&exp=long&series=loss&series=train/loss&buckets=10'))
    expect(trashed.body.lines.map((x) => `${x.exp}:${x.series}`)).toEqual(['long:loss'])
  })

  it.each([7, 10, 33, 49])("without bands, %i buckets of a dense series are the one-line route's (index seeks, not a full read)", async (n) => {
    t.db.setExpStatus('dense', 'COMPLETE')
    t.db.logBatch(
      'dense',
      Array.from({ length: 1_003 }, (_, step) => ({ name: 'acc', step: step + 5, value: Math.cos(step), time: 10 * step })),
    )
    const one = await t.json<{ buckets: { step: number; last: number; count: number; time: number }[] }>(
      `/api/experiments/dense/downsample?series=acc&buckets=${n}&from=17&to=900`,
    )
    const r = await t.json<Batch>(url(`exp=dense&series=acc&buckets=${n}&bands=0&from=17&to=900`))
    const l = r.body.lines[0] as Line
    expect(l.step).toEqual(one.body.buckets.map((b) => b.step))
    expect(l.last).toEqual(one.body.buckets.map((b) => b.last))
    expect(l.count).toEqual(one.body.buckets.map((b) => b.count))
    expect(l.time).toEqual(one.body.buckets.map((b) => b.time))
  })

  it('leaves out min and max without bands (many lines draw no per-run band)', async () => {
    const r = await t.json<Batch>(url('exp=a&series=train/loss&buckets=5&bands=0'))
    expect(r.body.lines[0]?.min).toBeUndefined()
    expect(r.body.lines[0]?.last).toHaveLength(5)
  })

  it('leaves out wall times and rounds values to the digits a chart reads, when asked', async () => {
    const r = await t.json<Batch>(url('exp=a&series=train/loss&buckets=100&times=0&digits=3'))
    expect(r.body.lines[0]?.time).toBeUndefined()
    expect(r.body.lines[0]?.last[2]).toBe(0.333)
    expect(r.body.lines[0]?.min?.[2]).toBe(0.333)
    const nan = await t.json<Batch>(url('exp=b&series=train/loss&buckets=100&digits=3'))
    expect(nan.body.lines[0]?.last[50]).toBe('NaN')
  })

  it.each([
    ['series=train/loss', /at least one experiment/],
    ['exp=a', /at least one series/],
    ['exp=a&series=train/loss&buckets=0', /buckets/],
    ['exp=a&series=train/loss&buckets=1.5', /buckets/],
    ['exp=a&series=train/loss&bukets=5', /unknown query parameter "bukets"/],
    ['exp=a&series=train/loss&buckets=5&buckets=6', /given 2 times/],
    ['exp=a&series=train/loss&from=x', /from/],
    [`${Array.from({ length: 2001 }, (_, i) => `exp=e${i}`).join('&')}&series=loss`, /at most 2000 experiments/],
    [`${Array.from({ length: 1000 }, (_, i) => `exp=e${i}`).join('&')}&series=a&series=b&buckets=4000`, /over 4000000/],
  ])('refuses %s with a 400 naming the parameter', async (q, message) => {
    const r = await t.json(url(q))
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(message)
  })

  it('shows the package version, not only the schema version, in health', async () => {
    const r = await t.json<{ version: number; package: string }>('/api/health')
    expect(r.body.package).toMatch(/^\d+\.\d+\.\d+/)
  })
})
