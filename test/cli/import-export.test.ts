import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
})

const write = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/** An MLflow file store as MLflow writes it: experiments, runs, metrics, params, tags. */
function makeMlruns(root: string): void {
  write(join(root, '0', 'meta.yaml'), "artifact_location: file:///x/mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n")
  write(
    join(root, '1', 'meta.yaml'),
    "artifact_location: file:///x/mlruns/1\nexperiment_id: '1'\nlifecycle_stage: active\nname: iris-sweep\ncreation_time: 1700000000000\n",
  )
  const run = (
    exp: string,
    id: string,
    meta: Record<string, string | number | null>,
    metrics: Record<string, string>,
    params: Record<string, string>,
    tags: Record<string, string>,
  ) => {
    const dir = join(root, exp, id)
    const lines = Object.entries({
      artifact_uri: `file:///x/mlruns/${exp}/${id}/artifacts`,
      experiment_id: `'${exp}'`,
      lifecycle_stage: 'active',
      run_id: id,
      run_uuid: id,
      source_type: 4,
      user_id: 'me',
      ...meta,
    })
    write(join(dir, 'meta.yaml'), `${lines.map(([k, v]) => `${k}: ${v === null ? 'null' : v}`).join('\n')}\n`)
    for (const [k, v] of Object.entries(metrics)) write(join(dir, 'metrics', k), v)
    for (const [k, v] of Object.entries(params)) write(join(dir, 'params', k), v)
    for (const [k, v] of Object.entries(tags)) write(join(dir, 'tags', k), v)
  }
  run(
    '1',
    'aaaa1111bbbb2222',
    { run_name: 'swift-fox', status: 3, start_time: 1700000001000, end_time: 1700000009000 },
    { 'valid/loss': '1700000002000 0.9 0\n1700000003000 0.5 1\n1700000004000 nan 2\n', accuracy: '1700000002000 0.61 0\n1700000004000 0.93 2\n' },
    { lr: '0.01', optimizer: 'adam' },
    { 'mlflow.runName': 'swift-fox', 'mlflow.user': 'me', 'mlflow.note.content': 'first try' },
  )
  run(
    '1',
    'cccc3333dddd4444',
    { run_name: 'swift-fox', status: 4, start_time: 1700000010000, end_time: 1700000012000 },
    { 'valid/loss': '1700000011000 inf 0\n1700000011500 -inf 1\n' },
    { lr: '0.1', optimizer: 'sgd' },
    { team: 'vision' },
  )
  run('0', 'eeee5555ffff6666', { run_name: 'lonely', status: 1, start_time: 1700000020000, end_time: null }, { loss: '1700000021000 2.5 0\n' }, {}, {})
  run('0', 'deleted00000000', { run_name: 'gone', status: 3, start_time: 1700000030000, end_time: 1700000031000, lifecycle_stage: 'deleted' }, {}, {}, {})
}

type Exp = {
  name: string
  project: string
  status: string
  startedAt: number
  endedAt: number | null
  notes: string
  params: Record<string, unknown>
  tags: Record<string, string>
  series: Record<string, { count: number; last: number; min: number; max: number; firstStep: number; lastStep: number; lastTime: number; nanCount: number }>
}

describe('mldb import of an MLflow file store', () => {
  it('maps experiments to projects and runs to experiments, with metrics, params and tags', () => {
    const mlruns = join(t.home, 'mlruns')
    makeMlruns(mlruns)
    const db = join(t.home, 'mlflow.db')
    const r = mldb(t.home, ['import', mlruns, '--db', db])
    // the deleted run comes in too, in the trash
    expect(r.stderr).toBe('imported 4 MLflow runs and 8 points\n')
    expect(r.status).toBe(0)
    const list = parseJsonNumbers(ok(t.home, ['ls', '--json', '--db', db])) as Exp[]
    const byName = Object.fromEntries(list.map((e) => [e.name, e]))
    expect(Object.keys(byName).sort()).toEqual(['lonely', 'swift-fox', 'swift-fox-cccc3333'])
    const fox = byName['swift-fox'] as Exp
    expect([fox.project, fox.status, fox.startedAt, fox.endedAt, fox.notes]).toEqual(['iris-sweep', 'COMPLETE', 1700000001000, 1700000009000, 'first try'])
    // MLflow params are text, kept byte for byte
    expect(fox.params).toEqual({ lr: '0.01', optimizer: 'adam' })
    expect(fox.tags['mlflow.user']).toBe('me')
    expect(fox.series['valid/loss']).toMatchObject({ count: 3, firstStep: 0, lastStep: 2, lastTime: 1700000004000, min: 0.5, max: 0.9, nanCount: 1 })
    expect(fox.series['valid/loss']?.last).toBeNaN()
    expect(fox.series.accuracy).toMatchObject({ count: 2, last: 0.93 })
    const fox2 = byName['swift-fox-cccc3333'] as Exp
    expect([fox2.status, fox2.tags.team]).toEqual(['FAILED', 'vision'])
    expect([fox2.series['valid/loss']?.min, fox2.series['valid/loss']?.max]).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])
    expect([byName.lonely?.project, byName.lonely?.status]).toEqual(['default', 'LOST'])

    const show = parseJsonNumbers(ok(t.home, ['show', 'swift-fox', '--json', '--db', db])) as Exp & { statusHistory: { status: string; time: number }[] }
    expect(show.statusHistory).toEqual([
      { status: 'TRAINING', time: 1700000001000 },
      { status: 'COMPLETE', time: 1700000009000 },
    ])
    const text = ok(t.home, ['ls', '--project', 'iris-sweep', '--columns', 'name,status,lr,valid/loss', '--db', db])
    expect(text.trim().split('\n')).toEqual([
      expect.stringMatching(/^name\s+status\s+lr\s+valid\/loss$/),
      expect.stringMatching(/^swift-fox-cccc3333\s+FAILED\s+0\.1\s+-Infinity$/),
      expect.stringMatching(/^swift-fox\s+COMPLETE\s+0\.01\s+NaN$/),
    ])
    expect(ok(t.home, ['show', 'swift-fox', '--db', db])).toMatch(/valid\/loss\s+3\s+0\.\.2\s+NaN\s+0\.5 \(min\)\s+0\.5\s+0\.9/)

    // a second import knows the runs by their MLflow run ids and doubles nothing
    const again = mldb(t.home, ['import', join(t.home, 'mlruns', '1', 'aaaa1111bbbb2222', '..'), '--db', db])
    expect(again.status).toBe(0)
    expect(again.stderr).toContain('imported 0 MLflow runs and 0 points (2 runs were already imported)')
    expect(ok(t.home, ['ls', '--columns', 'name', '--db', db])).not.toContain('swift-fox-aaaa1111')
  })
})

describe('mldb export and import', () => {
  const src = join(t.home, 'src.db')
  beforeAll(() => {
    const d = ['--db', src]
    ok(t.home, ['status', 'run-1', 'TRAINING', '--project', 'p1', ...d])
    ok(t.home, ['param', 'run-1', 'lr=0.001', 'layers=[1,2]', 'name=a,b "c"', ...d])
    ok(t.home, ['tag', 'run-1', 'note=line one, "two"', ...d])
    const values = ['nan', 'inf', '-inf', '0.1', '1e-300', '-0.30000000000000004', '123456789.123456789']
    for (const [i, v] of values.entries()) ok(t.home, ['log', 'run-1', 'loss', v, '--step', String(i), '--split', 'train', ...d])
    ok(t.home, ['log', 'run-1', 'loss', '7', '--step', '3', '--split', 'train', ...d]) // a second value at step 3
    ok(t.home, ['log', 'run-1', 'rmse', '0.5', '--step', '0', ...d])
    writeFileSync(join(t.home, 'w.bin'), 'w')
    ok(t.home, ['file', 'run-1', join(t.home, 'w.bin'), '--kind', 'checkpoint', '--step', '2', ...d])
    ok(t.home, ['status', 'run-1', 'COMPLETE', ...d])
    ok(t.home, ['log', 'run-2', 'acc', '0.5', '--step', '0', '--create', ...d])
  })

  const dump = (db: string) =>
    ok(t.home, [
      'sql',
      `SELECT e.name, s.name AS series, s.split, p.step, p.seq, p.time, quote(p.value) AS v FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id ORDER BY 1, 2, 3, 4, 5`,
      '--json',
      '--db',
      db,
    ])

  for (const format of ['jsonl', 'csv']) {
    it(`round-trips every point, NaN and ±Infinity included, through ${format}`, () => {
      const file = join(t.home, `export.${format}`)
      ok(t.home, ['export', '--out', file, '--db', src])
      const text = readFileSync(file, 'utf8')
      if (format === 'csv') {
        expect(text.split('\n')[0]).toBe('record,experiment,project,series,split,step,time,value')
        expect(text).toMatch(/^point,run-1,p1,loss,train,0,\d+,NaN$/m)
        expect(text).toMatch(/^point,run-1,p1,loss,train,2,\d+,-Infinity$/m)
      } else expect(text).toMatch(/"record":"point","experiment":"run-1","project":"p1","series":"loss","split":"train","step":1,"time":\d+,"value":"Infinity"/)
      const dst = join(t.home, `dst-${format}.db`)
      const r = mldb(t.home, ['import', file, '--db', dst])
      expect(r.stderr).toBe('imported 2 experiments and 10 points\n')
      expect(dump(dst)).toBe(dump(src))
      const a = parseJsonNumbers(ok(t.home, ['show', 'run-1', '--json', '--db', src])) as Record<string, unknown>
      const b = parseJsonNumbers(ok(t.home, ['show', 'run-1', '--json', '--db', dst])) as Record<string, unknown>
      // ids are the new database's; everything else is the same
      const strip = (x: Record<string, unknown>) => JSON.stringify({ ...x, id: 0, files: (x.files as { id: number }[]).map((f) => ({ ...f, id: 0 })) })
      expect(strip(b)).toBe(strip(a))
      expect(ok(t.home, ['export', '--format', format, '--db', dst])).toBe(text)
    })
  }

  it('exports a filtered selection to stdout', () => {
    const out = ok(t.home, ['export', '--where', "project = 'p1'", '--db', src])
    expect(out).toContain('"experiment":"run-1"')
    expect(out).not.toContain('run-2')
  })

  it('stops quietly with status 0 when the reader of its output goes away (`| head -1`)', () => {
    // well over a pipe's 64 KiB, so the export is still writing when head exits
    const big = join(t.home, 'big.db')
    const points = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({ record: 'point', experiment: 'big', series: 'loss', step: i, time: 1000 + i, value: i / 7 }),
    )
    writeFileSync(join(t.home, 'big.jsonl'), `${points.join('\n')}\n`)
    ok(t.home, ['import', join(t.home, 'big.jsonl'), '--db', big])
    for (const cmd of ['export', 'export --format csv']) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; "$NODE" "$MAIN" ${cmd} --db "$DB" | head -1`], {
        env: { PATH: process.env.PATH ?? '', HOME: t.home, NODE: process.execPath, MAIN: buildCli(), DB: big },
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(r.stderr).toBe('')
      expect(r.stdout.split('\n')).toHaveLength(2)
      expect(r.status).toBe(0)
    }
  })

  it('refuses to import over existing experiments, writing nothing', () => {
    const file = join(t.home, 'export.jsonl')
    ok(t.home, ['export', '--where', "name = 'run-2'", '--out', file, '--db', src])
    const before = dump(src)
    const r = mldb(t.home, ['import', file, '--db', src])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: 1 experiment already exist in .* \(run-2\); nothing was imported\n$/)
    expect(dump(src)).toBe(before)
  })

  it('names the experiment whose param it refuses (a NUL kept from before the rule), importing nothing', () => {
    // an export written before U+0000 was refused: its param still holds one
    const file = join(t.home, 'nul.jsonl')
    const exp = (name: string) => JSON.stringify({ record: 'experiment', experiment: name, project: 'default', status: 'COMPLETE', notes: '' })
    const param = (name: string, value: string) => JSON.stringify({ record: 'param', experiment: name, project: 'default', key: 'opt', value })
    writeFileSync(file, `${[exp('fine-1'), param('fine-1', 'adam'), exp('old-nul'), param('old-nul', 'ad\u0000am')].join('\n')}\n`)
    const target = join(t.home, 'nul-target.db')
    ok(t.home, ['log', 'other', 'acc', '0.5', '--step', '0', '--create', '--db', target])
    const r = mldb(t.home, ['import', file, '--db', target])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: .*nul\.jsonl line 4: experiment "old-nul": param "opt" contains U\+0000 \(NUL\).*remove it; nothing was imported\n$/)
    expect(ok(t.home, ['ls', '--json', '--db', target])).not.toContain('fine-1')
  })

  it('reads a plain long-form CSV of points from another tool', () => {
    const file = join(t.home, 'plain.csv')
    writeFileSync(file, 'experiment,series,split,step,value\nx1,loss,train,0,1.5\nx1,loss,train,1,nan\n')
    ok(t.home, ['import', file, '--db', join(t.home, 'plain.db')])
    const d = parseJsonNumbers(ok(t.home, ['show', 'x1', '--json', '--db', join(t.home, 'plain.db')])) as Exp
    expect(d.series['train/loss']).toMatchObject({ count: 2, min: 1.5, nanCount: 1 })
  })
})
