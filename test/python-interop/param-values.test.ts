// One rule for "this param is already set" across the clients: a value the other client
// wrote is the same value when it parses to the same JSON (key order, number spelling),
// whatever text each wrote; a different value is a ValidationError from either client.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { runPython } from './lib/python.js'

const tmp = tempDir('mldb-param-values-')
afterAll(() => tmp.cleanup())

// Python keeps a dict's order and writes 10**21 in full; JavaScript puts integer keys first and writes 1e+21.
const SENT = '{"obj": {"b": 1, "2": 2}, "big": 1000000000000000000000, "one": 1.0, "order": {"b": 2, "a": 1}}'
const AS_JS = { obj: { '2': 2, b: 1 }, big: 1e21, one: 1, order: { a: 1, b: 2 } }

describe('a param set again by the other client', () => {
  it('TypeScript writes, Python sets the equal value: no error; a different value: a ValidationError', () => {
    const path = join(tmp.dir, 'ts-first.db')
    {
      using db = new Database({ path })
      db.setParams('e', AS_JS)
    }
    expect(runPython(['set-params', path, 'e'], SENT).status).toBe(0)
    expect(() => runPython(['set-params', path, 'e'], '{"order": {"a": 1, "b": 3}}')).toThrow(/ValidationError: param "order" of "e" is already/)
    using db = new Database({ path })
    expect(db.getParams('e')).toEqual(AS_JS)
  })

  it('Python writes, TypeScript sets the equal value: no error; a different value: a ValidationError', () => {
    const path = join(tmp.dir, 'py-first.db')
    expect(runPython(['set-params', path, 'e'], SENT).status).toBe(0)
    using db = new Database({ path })
    // the texts differ ('{"b":1,"2":2}' against JSON.stringify's '{"2":2,"b":1}'), the values do not
    expect(db.sqlite.prepare("SELECT value FROM params WHERE key = 'obj'").pluck().get()).toBe('{"b":1,"2":2}')
    db.setParams('e', AS_JS)
    expect(() => db.setParams('e', { big: 1e22 })).toThrow(ValidationError)
    expect(() => db.setParams('e', { big: 1e22 })).toThrow(/param "big" of "e" is already 1000000000000000000000/)
  })
})
