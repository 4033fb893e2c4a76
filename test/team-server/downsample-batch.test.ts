// A chart panel's one request, /api/downsample, answers the same on a team server on
// PostgreSQL as on a SQLite file: the dashboard draws the same lines on both.
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'start-token-for-tests'

async function serverWith(backend: (typeof BACKENDS)[number]): Promise<Hono> {
  const fresh = await backend.fresh()
  const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
  let seq = 0
  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client: 'c', seq: ++seq, ...body }),
    })
    expect(res.status, await res.clone().text()).toBeLessThan(300)
  }
  for (const [exp, scale] of [
    ['a', 1],
    ['b', 2],
  ] as const) {
    await post('/api/experiments', { name: exp })
    const points: Record<string, unknown>[] = []
    for (let step = 0; step < 3000; step++) {
      const v = step % 251 === 7 ? 'NaN' : step === 1500 ? 'Infinity' : (scale * Math.sin(step / 50)) / (step + 1)
      points.push({ name: 'loss', split: 'train', step, value: v, time: 1_700_000_000_000 + step })
      if (step % 10 === 0) points.push({ name: 'loss', split: 'valid', step, value: scale / (step + 1), time: 1_700_000_000_000 + step })
    }
    // a second value at one step, as a resumed run logs
    points.push({ name: 'loss', split: 'train', step: 2999, value: -1, time: 1_700_000_009_999 })
    await post(`/api/experiments/${exp}/points`, { points })
  }
  return app
}

async function get(app: Hono, query: string): Promise<{ status: number; body: unknown }> {
  const res = await app.request(`/api/downsample?${query}`, { headers: { authorization: `Bearer ${START}` } })
  return { status: res.status, body: JSON.parse(await res.text()) }
}

describe('/api/downsample on both backends', () => {
  it('answers PostgreSQL the way it answers a SQLite file, and refuses the same bad queries', async () => {
    const [sqlite, postgres] = await Promise.all(BACKENDS.map(serverWith))
    const queries = [
      'exp=a&exp=b&exp=nope&series=train/loss&series=valid/loss&buckets=200',
      'exp=a&exp=b&series=train/loss&buckets=50&from=1000&to=2000&bands=0&times=0&digits=4',
      'exp=b&series=valid/loss&buckets=1000',
      'exp=a&series=test/loss',
    ]
    for (const q of queries) {
      const want = await get(sqlite as Hono, q)
      expect(want.status).toBe(200)
      expect(await get(postgres as Hono, q), q).toEqual(want)
    }
    const first = (await get(postgres as Hono, queries[0] as string)).body as { lines: { exp: string; series: string; count: number[] }[]; missing: unknown[] }
    expect(first.lines.map((l) => `${l.exp} ${l.series}`)).toEqual(['a train/loss', 'a valid/loss', 'b train/loss', 'b valid/loss'])
    expect(first.lines[0]?.count.reduce((x, y) => x + y, 0)).toBe(3001)
    expect(first.missing).toEqual([
      { exp: 'nope', series: 'train/loss' },
      { exp: 'nope', series: 'valid/loss' },
    ])
    for (const bad of ['series=loss', 'exp=a', 'exp=a&series=loss&buckets=0', 'exp=a&series=loss&color=red', 'exp=a&series=loss&buckets=5&buckets=6']) {
      const want = await get(sqlite as Hono, bad)
      expect(want.status).toBe(400)
      expect(await get(postgres as Hono, bad), bad).toEqual(want)
    }
  })
})
