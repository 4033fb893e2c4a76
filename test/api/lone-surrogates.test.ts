// A lone UTF-16 surrogate has no UTF-8 form: stored as is, SQLite would hold invalid
// UTF-8 (bytes ED B0 80) that Python cannot read back. Every text a write takes refuses it
// with a ValidationError naming the field, and the refused call writes nothing.
import { describe, expect, it } from 'vitest'
import { freshDatabasePerTest } from '../helpers/tmp.js'
import { itRefusesText } from './refused-text.js'

const LONE = 'a\udc00b'

describe('a lone UTF-16 surrogate in text', () => {
  const ctx = freshDatabasePerTest()

  itRefusesText(ctx, LONE, 'contains a lone UTF-16 surrogate (U+DC00); send valid Unicode text')

  it('names the high half of a broken pair, and keeps a whole emoji', () => {
    ctx.db.setExpStatus('e', 'PENDING')
    expect(() => ctx.db.setTags('e', { t: 'x\ud83d' })).toThrow('tag "t" contains a lone UTF-16 surrogate (U+D83D); send valid Unicode text')
    ctx.db.setTags('e', { t: '😀' })
    expect(ctx.db.getTags('e')).toEqual({ t: '😀' })
  })
})
