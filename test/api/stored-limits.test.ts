import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Database, ValidationError } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { listExperimentsJson } from '../../src/store/experiments-json.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

/** A value nested `levels` deep, as `let o = 1; for (...) o = [o]` builds it. */
function nested(levels: number): unknown {
  let o: unknown = 1
  for (let i = 0; i < levels; i++) o = [o]
  return o
}

/** Writes a param row the way a client without limits did, before they existed. */
function writeLegacyParam(db: Database, exp: string, key: string, json: string): void {
  db.setExpStatus(exp, 'COMPLETE')
  db.sqlite.prepare('INSERT INTO params (experiment_id, key, value) SELECT id, ?, ? FROM experiments WHERE name = ?').run(key, json, exp)
}

describe('limits on stored values', () => {
  const ctx = freshDatabasePerTest()

  it('refuses a param nested deeper than 32 levels, naming the key and the limit, and writes nothing', () => {
    expect(() => ctx.db.setParams('e', { ok: 1, d: nested(33) })).toThrow(/param "d" is nested over 32 levels deep; the limit is 32/)
    expect(() => ctx.db.setParams('e', { d: nested(1001) })).toThrow(ValidationError)
    expect(ctx.db.listExperiments()).toEqual([])
    ctx.db.setParams('e', { d: nested(32) })
    expect(ctx.db.getParams('e').d).toEqual(nested(32))
  })

  it('refuses a param with more than 10,000 keys and items, or over 64 KiB', () => {
    const wide = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, i]))
    expect(() => ctx.db.setParams('e', { w: wide })).toThrow(/param "w" has over 10000 keys and items; the limit is 10000/)
    expect(() => ctx.db.setParams('e', { w: [Array(6000).fill(0), Array(6000).fill(0)] })).toThrow(/the limit is 10000/)
    expect(() => ctx.db.setParams('e', { s: 'x'.repeat(70_000) })).toThrow(/param "s" is 70002 bytes as JSON; the limit is 65536/)
    // bytes, not characters: 30,000 three-byte characters
    expect(() => ctx.db.setParams('e', { s: '€'.repeat(30_000) })).toThrow(/bytes as JSON; the limit is 65536/)
    expect(ctx.db.listExperiments()).toEqual([])
    ctx.db.setParams('e', { w: Array(10_000).fill(0), s: 'x'.repeat(65_000) })
    expect((ctx.db.getParams('e').w as number[]).length).toBe(10_000)
  })

  it('applies the same limits to file meta and refuses more than 1,000 params or tags per experiment', () => {
    const file = join(ctx.dir, 'm.db')
    expect(() => ctx.db.addFile('e', file, { meta: { d: nested(40) as never } })).toThrow(/file meta is nested over 32 levels deep; the limit is 32/)
    expect(() => ctx.db.addFile('e', file, { meta: { s: 'x'.repeat(70_000) } })).toThrow(/file meta is \d+ bytes/)
    ctx.db.setParams('e', Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`p${i}`, i])))
    expect(() => ctx.db.setParams('e', { a: 1, b: 2 })).toThrow(/experiment "e" would have 1001 params; the limit is 1000/)
    expect(Object.keys(ctx.db.getParams('e'))).toHaveLength(999)
    ctx.db.setParams('e', { a: 1 })
    expect(() => ctx.db.setTags('e', Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`t${i}`, 'x'])))).toThrow(/1001 tags; the limit is 1000/)
    expect(ctx.db.getTags('e')).toEqual({})
    expect(() => ctx.db.setTags('e', { long: 'x'.repeat(70_000) })).toThrow(/tag "long" is 70000 bytes; the limit is 65536/)
  })

  it('lists, filters and serves rows written before the limits: a 1,001-deep param and a 1,000,000-key param', async () => {
    writeLegacyParam(ctx.db, 'deep', 'd', JSON.stringify(nested(1001)))
    writeLegacyParam(ctx.db, 'wide', 'w', `{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)
    writeLegacyParam(ctx.db, 'broken', 'd', '{not json')
    ctx.db.setParams('fine', { d: 1 })
    // the 1,000,000-key param has its own key: listings read it (and it made each take seconds), filters on d do not
    const shown = (e: { params: Record<string, unknown> }) => e.params.d ?? e.params.w
    const params = Object.fromEntries(ctx.db.listExperiments().map((e) => [e.name, shown(e)]))
    expect(params).toEqual({
      deep: '[not shown: not JSON or nested deeper than 1000 levels]',
      wide: expect.stringMatching(/^\[not shown: \d{8} bytes, over the limit of 65536\]$/),
      broken: '[not shown: not JSON or nested deeper than 1000 levels]',
      fine: 1,
    })
    // the dashboard's listing, built by SQLite, shows the same markers
    const viaSql = JSON.parse(listExperimentsJson(ctx.db.sqlite).json) as { name: string; params: Record<string, unknown> }[]
    expect(Object.fromEntries(viaSql.map((e) => [e.name, shown(e)]))).toEqual(params)
    const app = createApp({ db: ctx.db, webRoot: join(ctx.dir, 'no-web-build') })
    const res = await app.request('/api/experiments')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { experiments: { name: string; params: Record<string, unknown> }[] }
    expect(Object.fromEntries(body.experiments.map((e) => [e.name, shown(e)]))).toEqual(params)
    const filtered = await app.request(`/api/experiments?where=${encodeURIComponent('params.d = 1')}`)
    expect(((await filtered.json()) as { experiments: { name: string }[] }).experiments.map((e) => e.name)).toEqual(['fine'])
    expect(ctx.db.listExperiments({ where: 'params.d = 1' }).map((e) => e.name)).toEqual(['fine'])
    expect(ctx.db.listExperiments({ where: 'params.d is not null', orderBy: 'params.d desc' })).toHaveLength(3)
    expect(ctx.db.countExperiments({ where: "params.d = 'x'" })).toBe(0)
    // one experiment's own params: the deep one cannot be parsed by SQLite's readers either
    expect(ctx.db.getParams('deep').d).toBe('[not shown: not JSON or nested deeper than 1000 levels]')
    expect(ctx.db.getExperiment('wide').params.w).toMatch(/^\[not shown/)
  })

  it('shows file meta written before the limits as the marker', () => {
    const file = join(ctx.dir, 'm.db')
    ctx.db.addFile('e', file, { meta: { a: 1 } })
    ctx.db.sqlite.prepare('UPDATE file_pointers SET meta = ?').run(JSON.stringify({ d: nested(1001) }))
    expect(ctx.db.getFiles('e')[0]?.meta).toBe('[not shown: not JSON or nested deeper than 1000 levels]')
  })
})
