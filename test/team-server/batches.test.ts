import { describe, expect, it } from 'vitest'
import type { RemotePoint, Store } from '../../src/store/store.js'
import { BACKENDS } from './backends.js'

// The same writes on both backends must read back the same: the PostgreSQL
// writer batches its round trips and builds the listing's JSON itself, SQLite
// goes through the local API, and a user switching backends sees no difference.

const pt = (name: string, split: string, step: number, value: number, time = 5_000 + step): RemotePoint => ({ name, split, step, value, time })
let seq = 0
const id = () => ({ client: 'batches', seq: ++seq })

/** Several series per batch, duplicate steps inside a batch and across batches, late steps into closed blocks, NaN and ±Infinity. */
async function writeAll(store: Store): Promise<void> {
  await store.createExperiment(id(), {
    name: 'quote"back\\slash é',
    params: { 'lr "x"': 0.001, path: 'C:\\runs\\1', nested: { a: [1, 2.5, 'x"y'] } },
    tags: { 'note\\': 'say "hi"\tthere', emoji: '🚀' },
  })
  const name = 'quote"back\\slash é'
  for (let b = 0; b < 6; b++) {
    const batch: RemotePoint[] = []
    for (let i = 0; i < 150; i++) {
      const step = b * 150 + i
      batch.push(pt('loss', 'train', step, step % 41 === 0 ? Number.NaN : Math.cos(step)))
      if (i % 2 === 0) batch.push(pt('acc', '', step / 2, step === 300 ? Number.POSITIVE_INFINITY : step / 1000))
    }
    // a duplicate step inside the batch: kept, in the order logged
    batch.push(pt('loss', 'train', b * 150, -1))
    await store.logPoints(id(), name, batch)
  }
  // late steps into closed blocks and past the last one, several series at once
  await store.logPoints(id(), name, [pt('loss', 'train', 3, 99), pt('loss', 'train', 700, Number.NEGATIVE_INFINITY), pt('f1', 'valid', 0, Number.NaN)])
}

async function readAll(store: Store) {
  const name = 'quote"back\\slash é'
  const [listed] = await store.listExperiments({})
  const json = JSON.parse((await store.listExperimentsJson({})).json, (_k, v) => v) as unknown[]
  // (getSeries' order is the backend's own; the listing's is compared through `listed`)
  const series = (await store.getSeries(name)).sort((a, b) => (a.key < b.key ? -1 : 1))
  const points = await store.getPoints(name, 'train/loss')
  const chart = await store.downsample(name, 'train/loss', { buckets: 7 })
  const zoom = await store.downsample(name, 'acc', { buckets: 3, from: 100, to: 300 })
  const { id: _id, createdAt: _c, startedAt: _s, updatedAt: _u, heartbeatAt: _h, durationMs: _d, ...rest } = listed as unknown as Record<string, unknown>
  return { listed: rest, json: json.length, series, points: points.map((p) => [p.step, p.time, p.value]), chart, zoom }
}

describe('a batch written to SQLite and to PostgreSQL', () => {
  it('reads back the same points, summaries, blocks and listing JSON (escapes, NaN, ±Infinity) on both', async () => {
    const results = []
    for (const backend of BACKENDS) {
      const { store } = await backend.fresh()
      await writeAll(store)
      results.push(await readAll(store))
    }
    const [sqlite, postgres] = results
    expect(sqlite?.points.length).toBe(6 * 151 + 2)
    expect(sqlite?.series.map((s) => s.key)).toEqual(['acc', 'train/loss', 'valid/f1'])
    expect(sqlite?.listed).toMatchObject({ params: { 'lr "x"': 0.001, path: 'C:\\runs\\1' }, tags: { emoji: '🚀' } })
    expect(postgres).toEqual(sqlite)
  })

  it('a retried batch of several series lands once on both', async () => {
    for (const backend of BACKENDS) {
      const { store } = await backend.fresh()
      await store.createExperiment(id(), { name: 'r' })
      const w = id()
      const batch = [pt('a', '', 0, 1), pt('b', 'x', 0, 2), pt('a', '', 1, 3)]
      expect(await store.logPoints(w, 'r', batch)).toEqual({ duplicate: false })
      expect(await store.logPoints(w, 'r', batch)).toEqual({ duplicate: true })
      expect((await store.getSeries('r')).map((s) => [s.key, s.count])).toEqual([
        ['a', 2],
        ['x/b', 1],
      ])
    }
  })
})
