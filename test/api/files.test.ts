import { createHash } from 'node:crypto'
import { mkdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database, NotFoundError, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('files', () => {
  let t: ReturnType<typeof tempDir>
  let db: Database
  beforeEach(() => {
    t = tempDir()
    db = new Database({ path: join(t.dir, 'm.db') })
  })
  afterEach(() => {
    db.close()
    t.cleanup()
  })

  it('records absolute path, size, mtime and sha256 when asked, and lists by kind', () => {
    const model = join(t.dir, 'model.bin')
    writeFileSync(model, 'weights-v1')
    const ckpt = join(t.dir, 'ckpt-10.bin')
    writeFileSync(ckpt, 'c')
    const prev = process.cwd()
    process.chdir(t.dir)
    try {
      db.addFile('e', 'ckpt-10.bin', { kind: 'checkpoint', step: 10 })
    } finally {
      process.chdir(prev)
    }
    const rec = db.addFile('e', model, { kind: 'model', hash: true, meta: { format: 'raw' } })
    expect(rec).toMatchObject({
      path: model,
      kind: 'model',
      size: 10,
      sha256: createHash('sha256').update('weights-v1').digest('hex'),
      meta: { format: 'raw' },
    })
    expect(db.getFiles('e').map((f) => f.path)).toEqual([ckpt, model])
    expect(db.getFiles('e', { kind: 'checkpoint' })).toMatchObject([{ path: ckpt, step: 10, sha256: null }])
  })

  it('reports files missing or changed since they were recorded', () => {
    const a = join(t.dir, 'a.bin')
    const b = join(t.dir, 'b.bin')
    const c = join(t.dir, 'c.bin')
    for (const f of [a, b, c]) writeFileSync(f, 'same')
    for (const f of [a, b, c]) db.addFile('e', f, { kind: 'checkpoint', hash: true })
    rmSync(a)
    writeFileSync(b, 'different length')
    expect(db.checkFiles('e').map((f) => [f.path, f.problem])).toEqual([
      [a, 'missing'],
      [b, 'changed'],
    ])
    // same size, same mtime, other bytes: only the hash tells
    writeFileSync(c, 'SAME')
    const rec = db.getFiles('e').find((f) => f.path === c)!
    utimesSync(c, new Date(rec.mtime), new Date(rec.mtime))
    expect(db.checkFiles().map((f) => f.path)).not.toContain(c)
    expect(db.checkFiles(undefined, { hash: true }).map((f) => f.path)).toContain(c)
  })

  it('refuses a file that does not exist, a folder and an unknown kind, writing nothing', () => {
    expect(() => db.addFile('e', join(t.dir, 'nope.bin'))).toThrow(NotFoundError)
    expect(() => db.addFile('e', t.dir)).toThrow(/not a regular file/)
    writeFileSync(join(t.dir, 'x'), '')
    expect(() => db.addFile('e', join(t.dir, 'x'), { kind: 'weights' as 'model' })).toThrow(ValidationError)
    expect(db.countExperiments()).toBe(0)
  })

  it('stores the real path of a file recorded through a symlinked folder', () => {
    mkdirSync(join(t.dir, 'real'))
    writeFileSync(join(t.dir, 'real', 'w.bin'), 'w')
    symlinkSync(join(t.dir, 'real'), join(t.dir, 'link'))
    const rec = db.addFile('e', join(t.dir, 'link', 'w.bin'), { kind: 'model' })
    expect(rec.path).toBe(realpathSync(join(t.dir, 'real', 'w.bin')))
  })
})
