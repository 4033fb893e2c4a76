import { createHash } from 'node:crypto'
import { mkdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('files', () => {
  const ctx = freshDatabasePerTest()

  it('records absolute path, size, mtime and sha256 when asked, and lists by kind', () => {
    const model = join(ctx.dir, 'model.bin')
    writeFileSync(model, 'weights-v1')
    const ckpt = join(ctx.dir, 'ckpt-10.bin')
    writeFileSync(ckpt, 'c')
    const prev = process.cwd()
    process.chdir(ctx.dir)
    try {
      ctx.db.addFile('e', 'ckpt-10.bin', { kind: 'checkpoint', step: 10 })
    } finally {
      process.chdir(prev)
    }
    const rec = ctx.db.addFile('e', model, { kind: 'model', hash: true, meta: { format: 'raw' } })
    expect(rec).toMatchObject({
      path: model,
      kind: 'model',
      size: 10,
      sha256: createHash('sha256').update('weights-v1').digest('hex'),
      meta: { format: 'raw' },
    })
    expect(ctx.db.getFiles('e').map((f) => f.path)).toEqual([ckpt, model])
    expect(ctx.db.getFiles('e', { kind: 'checkpoint' })).toMatchObject([{ path: ckpt, step: 10, sha256: null }])
  })

  it('reports files missing or changed since they were recorded', () => {
    const a = join(ctx.dir, 'a.bin')
    const b = join(ctx.dir, 'b.bin')
    const c = join(ctx.dir, 'c.bin')
    for (const f of [a, b, c]) writeFileSync(f, 'same')
    for (const f of [a, b, c]) ctx.db.addFile('e', f, { kind: 'checkpoint', hash: true })
    rmSync(a)
    writeFileSync(b, 'different length')
    expect(ctx.db.checkFiles('e').map((f) => [f.path, f.problem])).toEqual([
      [a, 'missing'],
      [b, 'changed'],
    ])
    // same size, same mtime, other bytes: only the hash tells
    writeFileSync(c, 'SAME')
    const rec = ctx.db.getFiles('e').find((f) => f.path === c)!
    utimesSync(c, new Date(rec.mtime), new Date(rec.mtime))
    expect(ctx.db.checkFiles().map((f) => f.path)).not.toContain(c)
    expect(ctx.db.checkFiles(undefined, { hash: true }).map((f) => f.path)).toContain(c)
  })

  it('refuses a file that does not exist, a folder and an unknown kind, writing nothing', () => {
    expect(() => ctx.db.addFile('e', join(ctx.dir, 'nope.bin'))).toThrow(NotFoundError)
    expect(() => ctx.db.addFile('e', ctx.dir)).toThrow(/not a regular file/)
    writeFileSync(join(ctx.dir, 'x'), '')
    expect(() => ctx.db.addFile('e', join(ctx.dir, 'x'), { kind: 'weights' as 'model' })).toThrow(ValidationError)
    expect(ctx.db.countExperiments()).toBe(0)
  })

  it('stores the real path of a file recorded through a symlinked folder', () => {
    mkdirSync(join(ctx.dir, 'real'))
    writeFileSync(join(ctx.dir, 'real', 'w.bin'), 'w')
    symlinkSync(join(ctx.dir, 'real'), join(ctx.dir, 'link'))
    const rec = ctx.db.addFile('e', join(ctx.dir, 'link', 'w.bin'), { kind: 'model' })
    expect(rec.path).toBe(realpathSync(join(ctx.dir, 'real', 'w.bin')))
  })
})
