// The writes that take text, each with a bad character put in one field, shared by the
// suites of the characters every write refuses (lone-surrogates.test.ts, nul-text.test.ts):
// each must be refused with a ValidationError naming the field, writing nothing.
import { expect, it } from 'vitest'
import { type Database, ValidationError } from '../../src/index.js'

/** [what, the call with `bad` in it, the field the error names, the start of the message] */
export function textCases(bad: string): [string, (db: Database) => unknown, string, string][] {
  return [
    ['experiment name', (db) => db.setParams(`exp${bad}`, { lr: 1 }), 'experiment name', 'experiment name'],
    ['project name', (db) => db.setExpStatus('e', 'COMPLETE', { project: bad }), 'project name', 'project name'],
    ['param key', (db) => db.setParams('e', { ok: 1, [bad]: 1 }), 'param key', 'param key'],
    ['param value string', (db) => db.setParams('e', { ok: 1, p: { deep: ['x', bad] } }), 'p', 'param "p"'],
    ['key inside a param value', (db) => db.setParams('e', { ok: 1, p: { [bad]: 1 } }), 'p', 'param "p"'],
    ['tag key', (db) => db.setTags('e', { ok: 'x', [bad]: 'v' }), 'tag key', 'tag key'],
    ['tag value', (db) => db.setTags('e', { ok: 'x', t: bad }), 't', 'tag "t"'],
    ['notes', (db) => db.setNotes('e', bad), 'notes', 'notes'],
    ['status', (db) => db.setExpStatus('e', `DONE${bad}`), 'status', 'status'],
  ]
}

/** One test per case: the call is refused with `${start} ${problem}`, naming the field, and `e` is as before. */
export function itRefusesText(ctx: { db: Database }, bad: string, problem: string): void {
  it.each(textCases(bad))('is refused in a %s, naming it, and nothing is written', (_, call, field, start) => {
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
    expect((error as Error).message).toBe(`${start} ${problem}`)
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual(['e'])
    expect(ctx.db.getExperiment('e')).toEqual(before)
  })
}
