import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import type { ExperimentSummary } from '../../src/store/types.js'
import { setupApp } from './helpers.js'

type Changes = { now: number; experiments: ExperimentSummary[]; trashed: string[] }

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  t.db.setExpStatus('old', 'COMPLETE')
  t.db.setExpStatus('running', 'TRAINING')
})
afterEach(() => t.close())

describe('GET /api/changes', () => {
  it('returns every experiment since 0, and the time to ask from next', async () => {
    const before = Date.now()
    const r = await t.json<Changes>('/api/changes?since=0')
    expect(r.status).toBe(200)
    expect(r.body.now).toBeGreaterThanOrEqual(before)
    expect(r.body.experiments.map((e) => e.name).sort()).toEqual(['old', 'running'])
  })

  it('returns only experiments with new points, rows or trash moves after `since`', async () => {
    const since = Date.now() + 60_000 // later than any write so far (clocks need not be exact for this)
    expect((await t.json<Changes>(`/api/changes?since=${since}`)).body).toMatchObject({ experiments: [], trashed: [] })
    // a point stamped after `since`, logged by another connection as a training process would
    const writer = new Database({ path: t.db.path })
    writer.logBatch('running', [{ name: 'loss', split: 'train', step: 5, value: 0.25, time: since + 1_000 }])
    writer.close()
    const r = await t.json<Changes>(`/api/changes?since=${since}`)
    expect(r.body.experiments.map((e) => e.name)).toEqual(['running'])
    expect(r.body.experiments[0]?.series['train/loss']).toMatchObject({ lastStep: 5, last: 0.25 })
  })

  it('reports experiments moved to the trash', async () => {
    const since = Date.now() - 10_000
    t.db.trashExperiment('old')
    const r = await t.json<Changes>(`/api/changes?since=${since}`)
    expect(r.body.trashed).toEqual(['old'])
    expect(r.body.experiments.map((e) => e.name)).toEqual(['running'])
  })

  it('requires a numeric since', async () => {
    for (const q of ['', '?since=', '?since=abc', '?since=1e999', '?since=1&x=2']) {
      const r = await t.json(`/api/changes${q}`)
      expect(r.status).toBe(400)
      expect(r.body.error.code).toBe('bad_request')
    }
  })
})

describe('GET /api/events', () => {
  it('streams a `changes` event when another process commits', async () => {
    const res = await t.app.request('/api/events')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`)
        text += decoder.decode(value)
      }
    }
    try {
      await readUntil(/event: ready/)
      const writer = new Database({ path: t.db.path })
      writer.addMetricValue('running', 'acc', 1, 0.75, { split: 'valid' })
      writer.close()
      // the stream polls every 500 ms; the test timeout bounds the wait
      await readUntil(/event: changes\ndata: .*"valid\/acc"/)
      const line = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('valid/acc')) as string
      const body = JSON.parse(line.slice(6)) as Changes
      expect(body.experiments.map((e) => e.name)).toContain('running')
    } finally {
      await reader.cancel()
    }
  })
})
