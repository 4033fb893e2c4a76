// U+0000 (NUL): PostgreSQL's text cannot hold it (a team server there answered 500 and the
// sender re-sent it forever) and Python's SQLite 3.40 cuts a JSON string at it. Every text a
// write takes refuses it with a ValidationError naming the field, and the refused call writes nothing.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Database, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const NUL = 'a\u0000b'

// [what, the call, the field the error names, the text of the message]
const cases: [string, (db: Database) => unknown, string, string][] = [
  ['experiment name', (db) => db.setParams(`exp${NUL}`, { lr: 1 }), 'experiment name', 'experiment name'],
  ['project name', (db) => db.setExpStatus('e', 'COMPLETE', { project: NUL }), 'project name', 'project name'],
  ['param key', (db) => db.setParams('e', { ok: 1, [NUL]: 1 }), 'param key', 'param key'],
  ['param value string', (db) => db.setParams('e', { ok: 1, p: { deep: ['x', NUL] } }), 'p', 'param "p"'],
  ['key inside a param value', (db) => db.setParams('e', { ok: 1, p: { [NUL]: 1 } }), 'p', 'param "p"'],
  ['tag key', (db) => db.setTags('e', { ok: 'x', [NUL]: 'v' }), 'tag key', 'tag key'],
  ['tag value', (db) => db.setTags('e', { ok: 'x', t: NUL }), 't', 'tag "t"'],
  ['notes', (db) => db.setNotes('e', NUL), 'notes', 'notes'],
  ['status', (db) => db.setExpStatus('e', `DONE${NUL}`), 'status', 'status'],
]

describe('U+0000 (NUL) in text', () => {
  const ctx = freshDatabasePerTest()

  it.each(cases)('is refused in a %s, naming it, and nothing is written', (_, call, field, message) => {
    ctx.db.setExpStatus('e', 'PENDING')
    const before = ctx.db.getExperiment('e')
    let error: unknown
    try {
      call(ctx.db)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).field).toBe(field)
    expect((error as Error).message).toBe(`${message} contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it`)
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual(['e'])
    expect(ctx.db.getExperiment('e')).toEqual(before)
  })

  it('is refused in a series name, a split and file meta', () => {
    ctx.db.setExpStatus('e', 'PENDING')
    expect(() => ctx.db.addMetricValue('e', NUL, 0, 1)).toThrow(/^series name contains U\+0000 \(NUL\)/)
    expect(() => ctx.db.addMetricValue('e', 'loss', 0, 1, { split: NUL })).toThrow(/^split contains U\+0000 \(NUL\)/)
    const file = join(ctx.dir, 'model.pt')
    writeFileSync(file, 'weights')
    expect(() => ctx.db.addFile('e', file, { meta: { note: NUL } })).toThrow(/^file meta contains U\+0000 \(NUL\)/)
    expect(ctx.db.getSeries('e')).toEqual([])
    expect(ctx.db.getFiles('e')).toEqual([])
  })
})
