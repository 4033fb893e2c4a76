// Setting a param again: the same value (as parsed JSON) is a no-op, a different one a
// ValidationError that writes nothing. The cases are test/golden/param-values.json, which
// python/tests/test_param_values.py loads too, so both clients follow one rule.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Database, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

interface Case {
  name: string
  stored: string
  set: string
  same: boolean
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'param-values.json'), 'utf8')) as { cases: Case[] }

/** Stores a param's JSON text as another writer did (Python, an older version, an import). */
function storeAsOtherWriter(db: Database, exp: string, key: string, json: string): void {
  db.setParams(exp, { [key]: 'placeholder' })
  db.sqlite.prepare('UPDATE params SET value = ? WHERE key = ? AND experiment_id = (SELECT id FROM experiments WHERE name = ?)').run(json, key, exp)
}

const storedText = (db: Database, key: string) => db.sqlite.prepare('SELECT value FROM params WHERE key = ?').pluck().get(key) as string

describe('setting a param that is already set', () => {
  const ctx = freshDatabasePerTest()

  it.each(golden.cases)('$name', (c) => {
    storeAsOtherWriter(ctx.db, 'e', 'p', c.stored)
    const set = () => ctx.db.setParams('e', { p: JSON.parse(c.set), other: 1 })
    if (c.same) {
      set()
      expect(ctx.db.getParams('e').other).toBe(1)
    } else {
      expect(set).toThrow(ValidationError)
      expect(set).toThrow(/param "p" of "e" is already/)
      // refused as a whole: the other key was not written either
      expect(ctx.db.getParams('e')).not.toHaveProperty('other')
    }
    // the stored text is never rewritten
    expect(storedText(ctx.db, 'p')).toBe(c.stored)
  })

  it('keeps refusing a row that is not JSON unless the same text is set', () => {
    storeAsOtherWriter(ctx.db, 'e', 'p', 'not json')
    expect(() => ctx.db.setParams('e', { p: 'not json' })).toThrow(ValidationError)
    expect(storedText(ctx.db, 'p')).toBe('not json')
  })
})
