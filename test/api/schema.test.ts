import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database, DatabaseError, SchemaVersionError, schemaVersion } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('schema', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  it('records its version in PRAGMA user_version and uses WAL', () => {
    const path = join(t.dir, 'a.db')
    new Database({ path }).close()
    const raw = new BetterSqlite3(path)
    expect(raw.pragma('user_version', { simple: true })).toBe(schemaVersion())
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('keeps the seed views STATUS, LOSS, METRICS and FILES queryable with raw SQL', () => {
    const path = join(t.dir, 'a.db')
    using db = new Database({ path })
    db.setExpStatus('20220803_091702_TestModel', 'TRAINING')
    db.addLossValue('20220803_091702_TestModel', 'train', 0, 0.5)
    db.addLossValue('20220803_091702_TestModel', 'valid', 0, Number.NaN)
    db.addMetricValue('20220803_091702_TestModel', 'rmse', 0, 1.5)
    const f = join(t.dir, 'w.bin')
    writeFileSync(f, 'weights')
    db.addFile('20220803_091702_TestModel', f, { kind: 'model', step: 0 })
    db.setExpStatus('20220803_091702_TestModel', 'COMPLETE')
    expect(db.query("SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS = 'COMPLETE'")).toEqual([{ EXP_ID: '20220803_091702_TestModel' }])
    expect(db.query('SELECT * FROM LOSS ORDER BY SPLIT')).toEqual([
      { EXP_ID: '20220803_091702_TestModel', SPLIT: 'train', EPOCH: 0, VALUE: 0.5 },
      { EXP_ID: '20220803_091702_TestModel', SPLIT: 'valid', EPOCH: 0, VALUE: null },
    ])
    expect(db.query('SELECT * FROM METRICS')).toEqual([{ EXP_ID: '20220803_091702_TestModel', NAME: 'rmse', SPLIT: '', EPOCH: 0, VALUE: 1.5 }])
    expect(db.query('SELECT * FROM FILES')).toEqual([{ EXP_ID: '20220803_091702_TestModel', KIND: 'model', PATH: f, EPOCH: 0 }])
  })

  it('refuses a database written by a newer mldb, without changing it', () => {
    const path = join(t.dir, 'new.db')
    new Database({ path }).close()
    const raw = new BetterSqlite3(path)
    raw.pragma('user_version = 99')
    raw.close()
    expect(() => new Database({ path })).toThrow(SchemaVersionError)
    expect(() => new Database({ path })).toThrow(/newer mldb.*upgrade mldb/)
    const again = new BetterSqlite3(path)
    expect(again.pragma('user_version', { simple: true })).toBe(99)
    again.close()
  })

  it('refuses a file that is not SQLite, and an SQLite file of another program', () => {
    const notDb = join(t.dir, 'notes.txt')
    writeFileSync(notDb, 'hello, this is not a database at all')
    expect(() => new Database({ path: notDb })).toThrow(DatabaseError)
    expect(() => new Database({ path: notDb })).toThrow(/not an SQLite database/)
    const other = join(t.dir, 'other.db')
    const raw = new BetterSqlite3(other)
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)')
    raw.close()
    expect(() => new Database({ path: other })).toThrow(/not an mldb one/)
    // and their file is left as it was, still in its own journal mode
    const after = new BetterSqlite3(other)
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete')
    after.close()
  })

  it('applies the migrations once when many connections open a new file', () => {
    const path = join(t.dir, 'race.db')
    const dbs = Array.from({ length: 8 }, () => new Database({ path }))
    dbs.forEach((db, i) => {
      db.addMetricValue(`e${i}`, 'x', 0, i)
    })
    expect(dbs[0]?.countExperiments()).toBe(8)
    for (const db of dbs) db.close()
  })
})
