// A lone UTF-16 surrogate has no UTF-8 form: stored as is, SQLite would hold invalid
// UTF-8 (bytes ED B0 80) that Python cannot read back. Every text a write takes refuses it
// with a ValidationError naming the field, and the refused call writes nothing.
import { describe, expect, it } from 'vitest'
import { type Database, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const LONE = 'a\udc00b'

// [what, the call, the field the error names, the text of the message]
const cases: [string, (db: Database) => unknown, string, string][] = [
  ['experiment name', (db) => db.setParams(`exp${LONE}`, { lr: 1 }), 'experiment name', 'experiment name contains'],
  ['project name', (db) => db.setExpStatus('e', 'COMPLETE', { project: LONE }), 'project name', 'project name contains'],
  ['param key', (db) => db.setParams('e', { ok: 1, [LONE]: 1 }), 'param key', 'param key contains'],
  ['param value string', (db) => db.setParams('e', { ok: 1, p: { deep: ['x', LONE] } }), 'p', 'param "p" contains'],
  ['key inside a param value', (db) => db.setParams('e', { ok: 1, p: { [LONE]: 1 } }), 'p', 'param "p" contains'],
  ['tag key', (db) => db.setTags('e', { ok: 'x', [LONE]: 'v' }), 'tag key', 'tag key contains'],
  ['tag value', (db) => db.setTags('e', { ok: 'x', t: LONE }), 't', 'tag "t" contains'],
  ['notes', (db) => db.setNotes('e', LONE), 'notes', 'notes contains'],
  ['status', (db) => db.setExpStatus('e', `DONE${LONE}`), 'status', 'status contains'],
]

describe('a lone UTF-16 surrogate in text', () => {
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
    expect((error as Error).message).toBe(`${message} a lone UTF-16 surrogate (U+DC00); send valid Unicode text`)
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual(['e'])
    expect(ctx.db.getExperiment('e')).toEqual(before)
  })

  it('names the high half of a broken pair, and keeps a whole emoji', () => {
    ctx.db.setExpStatus('e', 'PENDING')
    expect(() => ctx.db.setTags('e', { t: 'x\ud83d' })).toThrow('tag "t" contains a lone UTF-16 surrogate (U+D83D); send valid Unicode text')
    ctx.db.setTags('e', { t: '😀' })
    expect(ctx.db.getTags('e')).toEqual({ t: '😀' })
  })
})
