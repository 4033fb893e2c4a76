import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { artifactDir, encodePng } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'
import { pythonEnv } from '../python-interop/lib/python.js'

// 300 characters of 3 bytes each: 900 bytes of UTF-8, 2700 once percent-encoded.
const LONG = '実験'.repeat(150)
const PNG = encodePng({ width: 1, height: 1, data: [7] })
const sha16 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 16)
// The whole characters that fit in 183 bytes: 20 × "%E5%AE%9F"-like triples.
const LONG_SEGMENT = `${'%E5%AE%9F%E9%A8%93'.repeat(10)}~${sha16(LONG)}`

describe('media folders of long names', () => {
  const ctx = freshDatabasePerTest()

  it('a 300-character unicode experiment name gets a readable prefix and a hash of the full name, under 255 bytes', () => {
    const a = ctx.db.logImage(LONG, 'samples', 1, PNG)
    expect(a.path).toBe(join(ctx.dir, 'artifacts', LONG_SEGMENT, 'media', 'samples', '1.png'))
    expect(Buffer.byteLength(LONG_SEGMENT)).toBeLessThanOrEqual(200)
    expect(existsSync(a.path)).toBe(true)
    expect(artifactDir(ctx.db.path, LONG)).toBe(join(ctx.dir, 'artifacts', LONG_SEGMENT))
    // tables and histograms land in the same folder
    expect(dirname(dirname(ctx.db.logTable(LONG, 'tab', 1, [{ a: 1 }]).path))).toBe(join(ctx.dir, 'artifacts', LONG_SEGMENT, 'media'))
    expect(dirname(dirname(ctx.db.logHistogram(LONG, 'hist', 1, [1, 2, 3]).path))).toBe(join(ctx.dir, 'artifacts', LONG_SEGMENT, 'media'))
  })

  it('two long names that differ only at the end never share a folder', () => {
    const other = `${LONG.slice(0, -1)}x`
    const a = ctx.db.logImage(LONG, 'samples', 1, PNG)
    const b = ctx.db.logImage(other, 'samples', 1, PNG)
    expect(dirname(a.path)).not.toBe(dirname(b.path))
    expect(b.path).toBe(join(ctx.dir, 'artifacts', `${'%E5%AE%9F%E9%A8%93'.repeat(10)}~${sha16(other)}`, 'media', 'samples', '1.png'))
  })

  it('long media name parts are shortened the same way, and short names keep their folders exactly', () => {
    const part = 'é'.repeat(244)
    const f = ctx.db.logImage('exp', `valid/${part}`, 2, PNG)
    expect(f.path).toBe(join(ctx.dir, 'artifacts', 'exp', 'media', 'valid', `${'%C3%A9'.repeat(30)}~${sha16(part)}`, '2.png'))
    // exactly 200 encoded bytes: kept as it is
    const edge = `${'a'.repeat(191)}%C3%A9`
    expect(ctx.db.logImage(`${'a'.repeat(191)}é`, 'x', 0, PNG).path).toBe(join(ctx.dir, 'artifacts', edge, 'media', 'x', '0.png'))
    expect(ctx.db.logImage('20220803_091702_TestModel', 'x', 0, PNG).path).toBe(join(ctx.dir, 'artifacts', '20220803_091702_TestModel', 'media', 'x', '0.png'))
  })

  it('TypeScript and Python log an image for the same long unicode name into the same folder', () => {
    const ts = ctx.db.logImage(LONG, `p/${LONG.slice(0, 248)}`, 1, PNG)
    const script = [
      'import json, sys',
      'from mldb import Database',
      'with Database(sys.argv[1]) as db:',
      '    f = db.log_image(sys.argv[2], sys.argv[3], 1, [[7]])',
      'print(json.dumps(f["path"]))',
    ].join('\n')
    const res = spawnSync('python3', ['-c', script, ctx.db.path, LONG, `p/${LONG.slice(0, 248)}`], { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 })
    expect(res.stderr).toBe('')
    const py = JSON.parse(res.stdout) as string
    expect(dirname(py)).toBe(dirname(ts.path))
    expect(basename(py)).toBe('1_2.png')
    expect(ctx.db.getFiles(LONG, { kind: 'image' })).toHaveLength(2)
  })
})
