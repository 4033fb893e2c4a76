import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
const db = ['--db', t.db]

beforeAll(() => {
  buildCli()
  ok(t.home, ['status', 'exp-a', 'TRAINING', '--project', 'iris', ...db])
  ok(t.home, ['param', 'exp-a', 'lr=0.01', 'optimizer=adam', 'hidden=[64,64]', ...db])
  for (const [step, v] of [
    [0, '0.9'],
    [1, '0.5'],
    [2, '0.3'],
  ] as const)
    ok(t.home, ['log', 'exp-a', 'loss', v, '--step', String(step), '--split', 'valid', ...db])
  ok(t.home, ['log', 'exp-a', 'acc', '0.7', '--step', '2', '--split', 'valid', ...db])
  ok(t.home, ['status', 'exp-a', 'COMPLETE', ...db])
  ok(t.home, ['status', 'exp-b', 'TRAINING', '--project', 'iris', ...db])
  ok(t.home, ['param', 'exp-b', 'lr=0.1', 'optimizer=adam', ...db])
  ok(t.home, ['log', 'exp-b', 'loss', '0.2', '--step', '0', '--split', 'valid', ...db])
  ok(t.home, ['log', 'exp-b', 'loss', 'nan', '--step', '1', '--split', 'valid', ...db])
  ok(t.home, ['log', 'exp-b', 'loss', '-inf', '--step', '2', '--split', 'train', ...db])
  ok(t.home, ['log', 'exp-b', 'loss', 'inf', '--step', '3', '--split', 'train', ...db])
  ok(t.home, ['tag', 'exp-b', 'team=vision', ...db])
  writeFileSync(join(t.home, 'model.bin'), 'weights')
  ok(t.home, ['file', 'exp-b', join(t.home, 'model.bin'), '--kind', 'model', '--step', '1', '--hash', ...db])
  ok(t.home, ['status', 'exp-b', 'FAILED', ...db])
})
afterAll(() => t.cleanup())

const json = (s: string) => parseJsonNumbers(s) as never

describe('mldb ls', () => {
  it('lists experiments newest first with varied params and latest values', () => {
    const out = ok(t.home, ['ls', ...db])
    const lines = out.trim().split('\n')
    expect(lines[0]).toMatch(/^name\s+project\s+status\s+started\s+duration\s+hidden\s+lr\s+train\/loss\s+valid\/acc\s+valid\/loss$/)
    expect(lines[1]).toMatch(/^exp-b\s+iris\s+FAILED\s+.*0\.1\s+Infinity\s+-\s+NaN$/)
    expect(lines[2]).toMatch(/^exp-a\s+iris\s+COMPLETE\s+.*0\.01\s+-\s+0\.7\s+0\.3$/)
    // optimizer is the same in both, so it is not a "chosen" column
    expect(lines[0]).not.toContain('optimizer')
    expect(out).not.toContain('\u001b[') // no colour when piped
  })

  it('filters, sorts, limits and picks columns', () => {
    expect(ok(t.home, ['ls', '--where', 'params.lr < 0.05', '--columns', 'name,lr', ...db]).trim()).toMatch(/^name\s+lr\nexp-a\s+0\.01$/)
    expect(
      ok(t.home, ['ls', '--status', 'FAILED', '--columns', 'name', ...db])
        .trim()
        .split('\n'),
    ).toEqual(['name', 'exp-b'])
    expect(
      ok(t.home, ['ls', '--sort', 'params.lr', '--columns', 'name', ...db])
        .trim()
        .split('\n')
        .slice(1),
    ).toEqual(['exp-a', 'exp-b'])
    expect(
      ok(t.home, ['ls', '--sort', 'valid/acc desc', '--columns', 'name', ...db])
        .trim()
        .split('\n')
        .slice(1),
    ).toEqual(['exp-a', 'exp-b'])
    const limited = ok(t.home, ['ls', '--limit', '1', '--columns', 'name', ...db])
    expect(limited).toContain('exp-b')
    expect(limited).not.toMatch(/^exp-a/m)
    expect(limited).toContain('showing 1 of 2')
  })

  it('prints JSON with NaN and Infinity as strings', () => {
    const out = ok(t.home, ['ls', '--json', ...db])
    expect(out).toContain('"last":"Infinity"')
    const rows = json(out) as { name: string; params: Record<string, unknown>; series: Record<string, { last: number; count: number }> }[]
    expect(rows.map((r) => r.name)).toEqual(['exp-b', 'exp-a'])
    expect(rows[0]?.series['valid/loss']?.last).toBeNaN()
    expect(rows[0]?.series['train/loss']?.last).toBe(Number.POSITIVE_INFINITY)
    expect(rows[1]?.params).toEqual({ lr: 0.01, optimizer: 'adam', hidden: [64, 64] })
  })
})

describe('mldb show, best, compare', () => {
  it('shows history, params, tags, series with sparklines, files', () => {
    const out = ok(t.home, ['show', 'exp-a', ...db])
    expect(out).toMatch(/history TRAINING .* → COMPLETE/)
    expect(out).toMatch(/hidden\s+\[64,64\]/)
    expect(out).toMatch(/valid\/loss\s+3\s+0\.\.2\s+0\.3\s+0\.3 \(min\)\s+0\.3\s+0\.9\s+█[▁-█]▁/)
    const b = ok(t.home, ['show', 'exp-b', ...db])
    expect(b).toMatch(/team\s+vision/)
    expect(b).toMatch(/model\.bin\s+model\s+1\s+7 B/)
    expect(b).not.toContain('MISSING')
    writeFileSync(join(t.home, 'model.bin'), 'changed weights')
    expect(ok(t.home, ['show', 'exp-b', ...db])).toContain('CHANGED')
    writeFileSync(join(t.home, 'model.bin'), 'weights')
  })

  it('show --json has the status history and file problems', () => {
    const d = json(ok(t.home, ['show', 'exp-b', '--json', ...db])) as {
      statusHistory: { status: string }[]
      files: { kind: string; sha256: string; problem: string | null }[]
      series: Record<string, { min: number; max: number; nanCount: number }>
    }
    expect(d.statusHistory.map((h) => h.status)).toEqual(['TRAINING', 'FAILED'])
    expect(d.files[0]?.kind).toBe('model')
    expect(d.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(d.series['train/loss']?.min).toBe(Number.NEGATIVE_INFINITY)
    expect(d.series['valid/loss']?.nanCount).toBe(1)
  })

  it('best finds the lowest (or highest) value and the model file', () => {
    const out = ok(t.home, ['best', 'valid/loss', ...db])
    expect(out).toMatch(/^exp-b\s+FAILED/)
    expect(out).toContain('min valid/loss = 0.2 at step 0')
    expect(out).toContain(`model ${join(t.home, 'model.bin')}`)
    expect(ok(t.home, ['best', 'valid/loss', '--max', ...db])).toContain('max valid/loss = 0.9 at step 0')
    expect(ok(t.home, ['best', 'metrics.valid/loss', '--where', "status = 'COMPLETE'", ...db])).toMatch(/^exp-a/)
    const j = json(ok(t.home, ['best', 'valid/loss', '--json', ...db])) as { value: number; step: number; experiment: { name: string }; files: unknown[] }
    expect([j.experiment.name, j.value, j.step, j.files.length]).toEqual(['exp-b', 0.2, 0, 1])
  })

  it('best and ls --sort take a series whose name has a space and a dash', () => {
    const d = ['--db', join(t.home, 'spaced.db')]
    for (const [e, v] of [
      ['s1', '0.7'],
      ['s2', '0.9'],
      ['s3', '0.8'],
    ] as const)
      ok(t.home, ['log', e, 'top-1 acc', v, '--step', '0', '--create', ...d])
    expect(ok(t.home, ['best', 'top-1 acc', '--max', ...d])).toContain('max top-1 acc = 0.9 at step 0')
    // an accuracy is best when highest, unless --min says otherwise
    expect(ok(t.home, ['best', 'metrics.top-1 acc', ...d])).toMatch(/^s2\s/)
    expect(ok(t.home, ['best', 'metrics.top-1 acc', '--min', ...d])).toMatch(/^s1\s/)
    for (const sort of ['top-1 acc', 'top-1 acc asc', 'metrics.top-1 acc']) {
      expect(
        ok(t.home, ['ls', '--sort', sort, '--columns', 'name', ...d])
          .trim()
          .split('\n')
          .slice(1),
      ).toEqual(['s1', 's3', 's2'])
    }
    expect(
      ok(t.home, ['ls', '--sort', 'top-1 acc desc', '--columns', 'name', ...d])
        .trim()
        .split('\n')
        .slice(1),
    ).toEqual(['s2', 's3', 's1'])
  })

  it('compare marks differing params and shows last and best', () => {
    const out = ok(t.home, ['compare', 'exp-a', 'exp-b', ...db])
    expect(out).toMatch(/\* lr\s+0\.01\s+0\.1/)
    expect(out).toMatch(/^ {2}optimizer\s+adam\s+adam/m)
    expect(out).toMatch(/valid\/loss last\s+0\.3\s+NaN/)
    expect(out).toMatch(/valid\/loss min\s+0\.3\s+0\.2/)
    const j = json(ok(t.home, ['compare', 'exp-a', 'exp-b', '--json', ...db])) as {
      params: { key: string; differs: boolean }[]
      series: { key: string; last: unknown[] }[]
    }
    expect(j.params.find((p) => p.key === 'lr')?.differs).toBe(true)
    expect(j.params.find((p) => p.key === 'optimizer')?.differs).toBe(false)
    // the text says "NaN"; a reader of the JSON rule gets the number back (last is a column, one per experiment)
    expect(ok(t.home, ['compare', 'exp-a', 'exp-b', '--json', ...db])).toContain('"last":[0.3,"NaN"]')
    expect(j.series.find((s) => s.key === 'valid/loss')?.last[1]).toBeNaN()
  })
})

describe('mldb sql', () => {
  it("reads the seed's views as a table or JSON", () => {
    expect(ok(t.home, ['sql', "SELECT EXP_ID FROM STATUS WHERE STATUS = 'COMPLETE'", ...db]).trim()).toBe('EXP_ID\nexp-a')
    expect(
      JSON.parse(ok(t.home, ['sql', 'SELECT EXP_ID, EPOCH, VALUE FROM LOSS WHERE SPLIT = ? ORDER BY EPOCH'.replace('?', "'valid'"), '--json', ...db])),
    ).toEqual([
      { EXP_ID: 'exp-a', EPOCH: 0, VALUE: 0.9 },
      { EXP_ID: 'exp-b', EPOCH: 0, VALUE: 0.2 },
      { EXP_ID: 'exp-a', EPOCH: 1, VALUE: 0.5 },
      { EXP_ID: 'exp-b', EPOCH: 1, VALUE: null },
      { EXP_ID: 'exp-a', EPOCH: 2, VALUE: 0.3 },
    ])
  })

  it('prints a long result as an aligned table, one line per row, cells with line breaks on one line', () => {
    const out = ok(t.home, ['sql', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000) SELECT x, x * x AS sq FROM c', ...db])
    const lines = out.trimEnd().split('\n')
    expect(lines).toHaveLength(30_001)
    // numbers right-aligned under right-aligned headers, every line as wide as the widest
    expect(lines[0]).toBe('    x         sq')
    expect(lines[1]).toBe('    1          1')
    expect(lines[30_000]).toBe('30000  900000000')
    expect(ok(t.home, ['sql', "SELECT 'a' || char(10) || 'b' AS s", ...db]).trim()).toBe('s\na⏎b')
  })

  it('refuses a statement that writes unless --write', () => {
    const r = mldb(t.home, ['sql', 'DELETE FROM tags', ...db])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('mldb: this statement changes the database; add --write to run it\n')
    expect(ok(t.home, ['sql', 'SELECT count(*) AS n FROM tags', '--json', ...db])).toContain('"n":1')
    expect(ok(t.home, ['sql', "UPDATE tags SET value = 'nlp'", '--write', ...db]).trim()).toBe('1 row changed')
    expect(ok(t.home, ['sql', 'SELECT value FROM tags', '--json', ...db])).toContain('nlp')
  })
})

describe('params and tags from the shell', () => {
  it('parses JSON values, keeps params written once', () => {
    ok(t.home, ['param', 'exp-c', 'n=3', 'name=resnet', 'flag=true', 'v="1"', ...db])
    const d = json(ok(t.home, ['show', 'exp-c', '--json', ...db])) as { params: Record<string, unknown> }
    expect(d.params).toEqual({ n: 3, name: 'resnet', flag: true, v: '1' })
    const r = mldb(t.home, ['param', 'exp-c', 'n=4', ...db])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: param "n" of "exp-c" is already 3;.*\n$/)
  })
})
