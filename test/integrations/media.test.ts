import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { artifactDir, Database, encodePng, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

// A minimal baseline JPEG header: SOI, APP0 (JFIF), SOF0 of 3×2.
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00,
  0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
])

describe('media per step', () => {
  const ctx = freshDatabasePerTest()

  it('stores PNG bytes, a JPEG file and raw pixels under the artifact folder as image files with step and name', () => {
    const png = encodePng({ width: 2, height: 2, channels: 3, data: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255] })
    const a = ctx.db.logImage('exp', 'samples', 3, png)
    expect(a).toMatchObject({ kind: 'image', step: 3, size: png.length, meta: { media: 'image', name: 'samples', format: 'png', width: 2, height: 2 } })
    expect(a.path).toBe(join(ctx.dir, 'artifacts', 'exp', 'media', 'samples', '3.png'))
    expect(artifactDir(ctx.db.path, 'exp')).toBe(join(ctx.dir, 'artifacts', 'exp'))
    expect(readFileSync(a.path).equals(png)).toBe(true)

    const jpg = join(ctx.dir, 'photo.jpg')
    writeFileSync(jpg, JPEG)
    const b = ctx.db.logImage('exp', 'valid/pred', 4, jpg)
    expect(b).toMatchObject({ kind: 'image', step: 4, meta: { format: 'jpeg', width: 3, height: 2, name: 'valid/pred' } })
    expect(b.path).toBe(join(ctx.dir, 'artifacts', 'exp', 'media', 'valid', 'pred', '4.jpg'))

    // the same name and step twice: a second file, the first kept
    const c = ctx.db.logImage('exp', 'samples', 3, { width: 1, height: 1, data: [128] })
    expect(c.path).toBe(join(ctx.dir, 'artifacts', 'exp', 'media', 'samples', '3_2.png'))
    expect(ctx.db.getFiles('exp', { kind: 'image' }).map((f) => [f.meta?.name, f.step])).toEqual([
      ['samples', 3],
      ['valid/pred', 4],
      ['samples', 3],
    ])
  })

  it('encodes raw pixels as a PNG any decoder reads: signature, IHDR size and the pixel rows', () => {
    const png = encodePng({ width: 3, height: 1, data: [0, 128, 255] })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([3, 1, 8, 0])
    const idatLen = png.readUInt32BE(33)
    expect(png.subarray(37, 41).toString()).toBe('IDAT')
    expect([...inflateSync(png.subarray(41, 41 + idatLen))]).toEqual([0, 0, 128, 255])
  })

  it('keeps names and experiment names that are not plain words inside the artifact folder', () => {
    const f = ctx.db.logImage('../up', '../../etc', 0, encodePng({ width: 1, height: 1, data: [0] }))
    expect(f.path).toBe(join(ctx.dir, 'artifacts', '%2E.%2Fup', 'media', '%2E.', '%2E.', 'etc', '0.png'))
  })

  it('stores tables as JSON or CSV and histograms as bucket edges and counts', () => {
    const t = ctx.db.logTable('exp', 'predictions', 1, [
      { label: 'cat', score: 0.9 },
      { label: 'dog, "big"', score: 0.4, extra: true },
    ])
    expect(t).toMatchObject({ kind: 'data', step: 1, meta: { media: 'table', name: 'predictions', format: 'json', columns: 3, rows: 2 } })
    expect(JSON.parse(readFileSync(t.path, 'utf8'))).toEqual({
      columns: ['label', 'score', 'extra'],
      rows: [
        ['cat', 0.9, null],
        ['dog, "big"', 0.4, true],
      ],
    })
    const csv = ctx.db.logTable('exp', 'predictions', 2, { columns: ['label', 'score'], rows: [['dog, "big"', 0.4]] }, { format: 'csv' })
    expect(csv.path.endsWith('2.csv')).toBe(true)
    expect(readFileSync(csv.path, 'utf8')).toBe('label,score\n"dog, ""big""",0.4\n')

    const h = ctx.db.logHistogram('exp', 'weights', 5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, Number.NaN], { bins: 5 })
    expect(h).toMatchObject({ kind: 'data', step: 5, meta: { media: 'histogram', name: 'weights', bins: 5, total: 10, min: 0, max: 9 } })
    expect(JSON.parse(readFileSync(h.path, 'utf8')).counts).toEqual([2, 2, 2, 2, 2])
    const given = ctx.db.logHistogram('exp', 'weights', 6, { edges: [0, 1, 2], counts: [3, 4] })
    expect(JSON.parse(readFileSync(given.path, 'utf8'))).toEqual({ edges: [0, 1, 2], counts: [3, 4] })
  })

  it('refuses what is not an image, a table or a histogram, writing neither a file nor a record', () => {
    expect(() => ctx.db.logImage('exp', 'samples', 0, Buffer.from('hello'))).toThrow(/not a PNG or JPEG/)
    expect(() => ctx.db.logImage('exp', 'samples', 0, join(ctx.dir, 'missing.png'))).toThrow(ValidationError)
    expect(() => ctx.db.logImage('exp', 'samples', 1.5, JPEG)).toThrow(/step/)
    expect(() => ctx.db.logImage('exp', 'a//b', 0, JPEG)).toThrow(/empty part/)
    expect(() => ctx.db.logImage('exp', 'raw', 0, { width: 2, height: 2, data: [1, 2, 3] })).toThrow(/needs 4 values/)
    expect(() => ctx.db.logTable('exp', 't', 0, { columns: ['a'], rows: [[1, 2]] })).toThrow(ValidationError)
    expect(() => ctx.db.logTable('exp', 't', 0, [], { format: 'xml' as 'csv' })).toThrow(/format/)
    expect(() => ctx.db.logHistogram('exp', 'h', 0, { edges: [0, 1], counts: [1, 2] })).toThrow(ValidationError)
    expect(ctx.db.listExperiments()).toEqual([])
    expect(existsSync(join(ctx.dir, 'artifacts')) ? readdirSync(join(ctx.dir, 'artifacts')) : []).toEqual([])
  })

  it('leaves no file behind when the record is refused (a read-only database)', () => {
    ctx.db.setExpStatus('exp', 'TRAINING')
    using ro = new Database({ path: ctx.db.path, readonly: true })
    expect(() => ro.logTable('exp', 't', 0, [{ a: 1 }])).toThrow(/read-only/)
    expect(() => ro.logImage('exp', 'i', 0, JPEG)).toThrow(/read-only/)
    expect(readdirSync(join(ctx.dir, 'artifacts', 'exp', 'media'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toEqual([])
    expect(ctx.db.getFiles('exp')).toEqual([])
  })

  it('logs through a run at the run’s current step', () => {
    const run = ctx.db.startRun({ name: 'r', handleExit: false })
    run.log({ loss: 1 }, { step: 7 })
    const f = run.logImage('samples', JPEG)
    expect(f.step).toBe(7)
    expect(run.logHistogram('w', [1, 2, 3], { step: 8, bins: 2 }).step).toBe(8)
    expect(run.logTable('t', [{ a: 1 }]).step).toBe(7)
    run.finish()
  })

  it('refuses through a run the options db.logHistogram and db.logTable refuse, as Python does', () => {
    // bins: 0 and format: '' were taken as "not given": 64 buckets and a JSON file, without a word
    const run = ctx.db.startRun({ name: 'r', handleExit: false })
    expect(() => run.logHistogram('w', [1, 2, 3], { bins: 0 })).toThrow('logHistogram bins must be an integer 1..10000, got 0')
    expect(() => run.logTable('t', [{ a: 1 }], { format: '' as 'csv' })).toThrow('logTable format must be "json" or "csv", got ""')
    expect(ctx.db.getFiles('r')).toEqual([])
    run.finish()
  })
})
