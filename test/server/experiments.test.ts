import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toJson } from '../../src/json.js'
import type { ExperimentView } from '../../src/server/experiment-detail.js'
import { listExperiments } from '../../src/store/experiments.js'
import { listExperimentsJson } from '../../src/store/experiments-json.js'
import type { ExperimentSummary } from '../../src/store/types.js'
import { expUrl, setupApp } from './helpers.js'

type List = { total: number; experiments: ExperimentSummary[] }

let t: ReturnType<typeof setupApp>
beforeEach(() => {
  t = setupApp()
  const { db } = t
  for (const [i, lr] of [0.1, 0.01, 0.001].entries()) {
    const name = `sweep-${i}`
    db.setExpStatus(name, 'TRAINING', { project: 'iris' })
    db.setParams(name, { lr, hidden: 32 * (i + 1) })
    db.logBatch(name, [
      { name: 'loss', split: 'train', step: 0, value: 1 },
      { name: 'loss', split: 'train', step: 1, value: 0.5 - i / 10 },
      { name: 'loss', split: 'valid', step: 1, value: 0.6 - i / 10 },
    ])
    db.setExpStatus(name, 'COMPLETE')
  }
  db.setExpStatus('odd/name with spaces', 'TRAINING', { project: 'nlp' })
  db.logBatch('odd/name with spaces', [
    { name: 'loss', split: 'train', step: 0, value: Number.NaN },
    { name: 'loss', split: 'train', step: 1, value: Number.POSITIVE_INFINITY },
    { name: 'grad', step: 0, value: Number.NEGATIVE_INFINITY },
  ])
  db.setTags('odd/name with spaces', { team: 'vision' })
})
afterEach(() => t.close())

describe('GET /api/health and /api/projects', () => {
  it('reports the database path, schema version and package version', async () => {
    const r = await t.json<{ ok: boolean; db: string; version: number; package: string }>('/api/health')
    expect(r.status).toBe(200)
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
    expect(r.body).toEqual({ ok: true, db: t.db.path, version: readdirSync(join(import.meta.dirname, '../../migrations')).length, package: pkg.version })
  })

  it('lists projects with their number of live experiments', async () => {
    t.db.trashExperiment('sweep-2')
    const r = await t.json<{ projects: { name: string; count: number }[] }>('/api/projects')
    expect(r.body.projects).toEqual([
      { name: 'iris', count: 2 },
      { name: 'nlp', count: 1 },
    ])
  })
})

describe('GET /api/experiments', () => {
  it('lists experiments newest first with params, tags and series', async () => {
    const r = await t.json<List>('/api/experiments')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/json')
    expect(r.body.total).toBe(4)
    expect(r.body.experiments.map((e) => e.name)).toEqual(['odd/name with spaces', 'sweep-2', 'sweep-1', 'sweep-0'])
    const s1 = r.body.experiments.find((e) => e.name === 'sweep-1') as ExperimentSummary
    expect(s1.params).toEqual({ lr: 0.01, hidden: 64 })
    expect(s1.status).toBe('COMPLETE')
    expect(s1.series['valid/loss']).toMatchObject({ name: 'loss', split: 'valid', key: 'valid/loss', count: 1, last: 0.5, min: 0.5, max: 0.5 })
  })

  it('writes NaN and ±Infinity as strings', async () => {
    const res = await t.app.request('/api/experiments?project=nlp')
    const text = await res.text()
    expect(text).toContain('"last":"Infinity"')
    const odd = (JSON.parse(text) as { experiments: Record<string, unknown>[] }).experiments[0] as { series: Record<string, Record<string, unknown>> }
    expect(odd.series['train/loss']).toMatchObject({ last: 'Infinity', min: 'Infinity', max: 'Infinity', nanCount: 1 })
    expect(odd.series.grad).toMatchObject({ last: '-Infinity', min: '-Infinity', max: '-Infinity' })
  })

  it('filters, sorts and pages, with total counting all matches', async () => {
    const where = encodeURIComponent("params.lr < 0.05 and metrics.valid/loss < 0.55 and status = 'COMPLETE'")
    const r = await t.json<List>(`/api/experiments?where=${where}`)
    expect(r.body.experiments.map((e) => e.name).sort()).toEqual(['sweep-1', 'sweep-2'])

    const sorted = await t.json<List>(`/api/experiments?project=iris&orderBy=${encodeURIComponent('metrics.valid/loss asc')}&limit=2`)
    expect(sorted.body.total).toBe(3)
    expect(sorted.body.experiments.map((e) => e.name)).toEqual(['sweep-2', 'sweep-1'])

    const page = await t.json<List>('/api/experiments?project=iris&orderBy=name&limit=1&offset=2')
    expect(page.body).toMatchObject({ total: 3, experiments: [{ name: 'sweep-2' }] })

    const status = await t.json<List>('/api/experiments?status=training')
    expect(status.body.experiments.map((e) => e.name)).toEqual(['odd/name with spaces'])
  })

  it('lists the trash only when asked', async () => {
    t.db.trashExperiment('sweep-0')
    expect((await t.json<List>('/api/experiments')).body.total).toBe(3)
    const trash = await t.json<List>('/api/experiments?trashed=true')
    expect(trash.body.experiments.map((e) => e.name)).toEqual(['sweep-0'])
  })

  it('answers a filter syntax error with 400 naming the column', async () => {
    const r = await t.json(`/api/experiments?where=${encodeURIComponent('params.lr <')}`)
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('bad_request')
    expect(r.body.error.message).toMatch(/column 12/)
  })

  it.each([
    ['limit=0', /limit/],
    ['limit=50001', /limit/],
    ['limit=ten', /limit/],
    ['offset=-1', /offset/],
    ['trashed=maybe', /trashed/],
    ['limt=5', /unknown query parameter "limt"/],
  ])('refuses %s with 400', async (query, message) => {
    const r = await t.json(`/api/experiments?${query}`)
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(message) })
  })

  it('gives the same values as listExperiments written by toJson', () => {
    t.db.trashExperiment('sweep-0')
    const now = Date.now()
    for (const options of [{}, { trashed: true }, { where: 'params.hidden > 40', orderBy: 'params.lr desc' }, { project: 'nlp', limit: 1 }, { offset: 1 }]) {
      const fast = JSON.parse(listExperimentsJson(t.db.sqlite, options, now).json)
      const reference = JSON.parse(toJson(listExperiments(t.db.sqlite, options, now)))
      expect(fast).toEqual(reference)
    }
  })
})

describe('GET and PATCH /api/experiments/:name', () => {
  it('returns the detail with status history and files marked missing or changed', async () => {
    const ok = join(t.dir, 'model.bin')
    const gone = join(t.dir, 'gone.bin')
    const edited = join(t.dir, 'edited.bin')
    for (const f of [ok, gone, edited]) writeFileSync(f, 'weights')
    t.db.addFile('sweep-0', ok, { kind: 'model', hash: true })
    t.db.addFile('sweep-0', gone, { kind: 'checkpoint' })
    t.db.addFile('sweep-0', edited, { kind: 'checkpoint' })
    const { rmSync } = await import('node:fs')
    rmSync(gone)
    writeFileSync(edited, 'other weights, longer')

    const r = await t.json<ExperimentView>(expUrl('sweep-0'))
    expect(r.status).toBe(200)
    expect(r.body.statusHistory.map((s) => s.status)).toEqual(['TRAINING', 'COMPLETE'])
    expect(r.body.params).toEqual({ lr: 0.1, hidden: 32 })
    expect(r.body.files.map((f) => [f.path, f.kind, f.problem])).toEqual([
      [ok, 'model', null],
      [gone, 'checkpoint', 'missing'],
      [edited, 'checkpoint', 'changed'],
    ])
    expect(r.body.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.body.files[0]?.url).toBe(`/api/files/${r.body.files[0]?.id}`)
  })

  it('finds names holding "/" and spaces when encoded', async () => {
    const r = await t.json<ExperimentView>(expUrl('odd/name with spaces'))
    expect(r.status).toBe(200)
    expect(r.body.tags).toEqual({ team: 'vision' })
  })

  it('answers 404 for an unknown or trashed experiment', async () => {
    t.db.trashExperiment('sweep-1')
    for (const name of ['nope', 'sweep-1']) {
      const r = await t.json(expUrl(name))
      expect(r.status).toBe(404)
      expect(r.body.error.code).toBe('not_found')
      expect(r.body.error.message).toContain(name)
    }
  })

  it('updates notes and tags and returns the new detail', async () => {
    const r = await t.json<ExperimentView>(expUrl('sweep-1'), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'best so far', tags: { keep: 'yes' } }),
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ name: 'sweep-1', notes: 'best so far', tags: { keep: 'yes' } })
    expect(t.db.getNotes('sweep-1')).toBe('best so far')
    expect(t.db.getTags('sweep-1')).toEqual({ keep: 'yes' })
  })

  it.each([
    ['a number as notes', { notes: 5 }, /notes/],
    ['a non-string tag', { tags: { a: 1 } }, /tags/],
    ['an unknown field', { status: 'COMPLETE' }, /status/],
    ['an empty tag key', { tags: { ' ': 'x' }, notes: 'must not land' }, /tag key/],
  ])('refuses %s with 400 and writes nothing', async (_what, body, message) => {
    const r = await t.json(expUrl('sweep-1'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(message)
    expect(t.db.getNotes('sweep-1')).toBe('')
    expect(t.db.getTags('sweep-1')).toEqual({})
  })

  it('refuses a body that is not JSON, and PATCH of an unknown experiment', async () => {
    const bad = await t.json(expUrl('sweep-1'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{notes:' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/not valid JSON/)
    const form = await t.json(expUrl('sweep-1'), { method: 'PATCH', body: 'notes=x' })
    expect(form.status).toBe(400)
    const huge = await t.json(expUrl('sweep-1'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(6 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    expect(huge.body.error.code).toBe('too_large')
    const missing = await t.json(expUrl('ghost'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"notes":"x"}' })
    expect(missing.status).toBe(404)
    expect(t.db.listExperiments({ name: 'ghost' })).toEqual([])
  })
})

describe('unknown API routes', () => {
  it('answers 404 JSON, not the web app', async () => {
    const r = await t.json('/api/nothing/here')
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('not_found')
  })
})
