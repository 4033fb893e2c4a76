// Issue 8 item 14: the seed's `STATUS.STATUS="COMPLETE"` works through db.query,
// although better-sqlite3 builds SQLite without double-quoted strings.
import { describe, expect, it } from 'vitest'
import { DatabaseError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('db.query with double-quoted strings', () => {
  const ctx = freshDatabasePerTest()
  const seed = () => {
    ctx.db.setExpStatus('done', 'COMPLETE')
    ctx.db.setExpStatus('running', 'TRAINING')
    ctx.db.setTags('done', { note: 'it"s "quoted"', by: 'STATUS' })
  }

  it("runs the seed's query verbatim", () => {
    seed()
    expect(ctx.db.query('SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE";')).toEqual([{ EXP_ID: 'done' }])
    expect(ctx.db.query('SELECT EXP_ID FROM STATUS WHERE STATUS = "TRAINING" OR STATUS = "COMPLETE" ORDER BY EXP_ID')).toEqual([
      { EXP_ID: 'done' },
      { EXP_ID: 'running' },
    ])
  })

  it('keeps a double-quoted name that is a column a column', () => {
    seed()
    // "STATUS" names the view's column: every row's own status, not the word STATUS
    expect(ctx.db.query('SELECT "EXP_ID", "STATUS" FROM "STATUS" WHERE "STATUS" = "COMPLETE"')).toEqual([{ EXP_ID: 'done', STATUS: 'COMPLETE' }])
    expect(ctx.db.query('SELECT count(*) AS n FROM STATUS WHERE "STATUS" = STATUS')).toEqual([{ n: 2 }])
    // the same word as a string where no column has that name: the tag whose value is STATUS
    expect(ctx.db.query('SELECT key FROM tags WHERE value = "STATUS"')).toEqual([{ key: 'by' }])
  })

  it('reads escaped quotes and leaves single-quoted strings and comments alone', () => {
    seed()
    expect(ctx.db.query('SELECT key FROM tags WHERE value = "it""s ""quoted"""')).toEqual([{ key: 'note' }])
    expect(ctx.db.query(`SELECT 'say "hi"' AS s, "x'y" AS t -- "not a token"`)).toEqual([{ s: 'say "hi"', t: "x'y" }])
    expect(ctx.db.query('SELECT EXP_ID FROM STATUS /* "COMPLETE" */ WHERE STATUS = ?', 'TRAINING')).toEqual([{ EXP_ID: 'running' }])
  })

  it('still reports a column that does not exist', () => {
    seed()
    // a qualified name is never a string
    expect(() => ctx.db.query('SELECT STATUS."nope" FROM STATUS')).toThrow(DatabaseError)
    expect(() => ctx.db.query('SELECT STATUS."nope" FROM STATUS')).toThrow(/no such column: STATUS\.nope/)
    expect(() => ctx.db.query('SELECT nope FROM STATUS WHERE STATUS = "COMPLETE"')).toThrow(/no such column: nope/)
    expect(() => ctx.db.query('SELECT * FROM "nope"')).toThrow(/no such table: nope/)
  })

  it('writes with a double-quoted value', () => {
    seed()
    ctx.db.query('UPDATE tags SET value = "changed" WHERE key = "by"')
    expect(ctx.db.getTags('done').by).toBe('changed')
  })
})
