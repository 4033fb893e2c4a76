// The dashboard's table asks for the compact listing (x-mldb-listing: compact) and
// expands it in the browser; what it shows must equal the full listing, row for row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExperimentSummary } from '../../src/store/types.js'
import { expandRow } from '../../web/src/lib/compact-listing.js'
import { parseJsonNumbers } from '../../web/src/lib/json-numbers.js'
import { setupApp } from './helpers.js'

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('a', 'COMPLETE', { project: 'p' })
  t.db.setParams('a', { lr: 0.1, note: 'NaN', nested: { value: 'NaN' } })
  t.db.setTags('a', { team: 'x' })
  t.db.logBatch('a', [
    { name: 'loss', split: 'train', step: 0, value: Number.NaN, time: 1 },
    { name: 'loss', split: 'train', step: 1, value: Number.POSITIVE_INFINITY, time: 2 },
    { name: 'acc', step: 0, value: Number.NEGATIVE_INFINITY, time: 3 },
  ])
  t.db.setExpStatus('b', 'RUNNING', { project: 'q' })
  t.db.logBatch('b', [{ name: 'loss', split: 'valid', step: 3, value: 0.25, time: 9 }])
  t.db.setExpStatus('c', 'FAILED', { project: 'p' })
})
afterEach(() => t.close())

async function both(query: string): Promise<{ full: ExperimentSummary[]; compact: ExperimentSummary[]; raw: unknown[] }> {
  const full = await t.app.request(`/api/experiments${query}`)
  const compact = await t.app.request(`/api/experiments${query}`, { headers: { 'x-mldb-listing': 'compact' } })
  expect(full.status).toBe(200)
  expect(compact.status).toBe(200)
  const raw = (JSON.parse(await compact.text()) as { experiments: unknown[] }).experiments
  return {
    full: parseJsonNumbers<{ experiments: ExperimentSummary[] }>(await full.text()).experiments,
    compact: (raw as ExperimentSummary[]).map(expandRow),
    raw,
  }
}

describe('GET /api/experiments, compact (the table)', () => {
  it('expands to the full listing: NaN and ±Infinity in summaries, string params kept as text', async () => {
    const { full, compact, raw } = await both('')
    expect(raw[0]).toHaveProperty('summary')
    expect(compact).toEqual(full)
    const a = compact.find((e) => e.name === 'a') as ExperimentSummary
    expect(a.series['train/loss']?.last).toBe(Number.POSITIVE_INFINITY)
    expect(a.series['train/loss']?.nanCount).toBe(1)
    expect(a.series.acc?.min).toBe(Number.NEGATIVE_INFINITY)
    expect(a.params).toEqual({ lr: 0.1, note: 'NaN', nested: { value: 'NaN' } })
  })

  it('keeps the filter, project, order and paging of the full form', async () => {
    for (const q of ['?project=p', '?where=status%20%3D%20%27FAILED%27', '?orderBy=name%20desc&limit=2', '?offset=1&limit=1']) {
      const { full, compact } = await both(q)
      expect(compact.map((e) => e.name)).toEqual(full.map((e) => e.name))
      expect(compact).toEqual(full)
    }
  })

  it('answers the summary written after a change, not a stale one', async () => {
    await both('')
    t.db.logBatch('b', [{ name: 'loss', split: 'valid', step: 4, value: 0.5, time: 10 }])
    t.db.setParams('b', { seed: 3 })
    const { full, compact } = await both('?project=q')
    expect(compact[0]?.series['valid/loss']?.last).toBe(0.5)
    expect(compact[0]?.params).toEqual({ seed: 3 })
    expect(compact).toEqual(full)
  })
})
