// U+0000 (NUL): PostgreSQL's text cannot hold it (a team server there answered 500 and the
// sender re-sent it forever) and Python's SQLite 3.40 cuts a JSON string at it. Every text a
// write takes refuses it with a ValidationError naming the field, and the refused call writes nothing.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshDatabasePerTest } from '../helpers/tmp.js'
import { itRefusesText } from './refused-text.js'

const NUL = 'a\u0000b'

describe('U+0000 (NUL) in text', () => {
  const ctx = freshDatabasePerTest()

  itRefusesText(ctx, NUL, 'contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it')

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
