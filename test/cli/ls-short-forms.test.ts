// Issue 8 item 17: `mldb ls --sort` and `--columns` take the short forms
// `--where` takes (`lr` is params.lr when only a param has that name), judged
// as `--where` judges them, on the whole file: a name that names nothing or
// both is refused (exit 1, one line) instead of silently leaving the listing in
// its default order or showing one of the two. Sort errors speak of the sort key.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
const db = join(t.home, 'sort.db')

beforeAll(() => {
  // created in this order, so the default listing (newest first) is c, b, a: no sort below matches it by chance
  for (const [name, lr, loss] of [
    ['a', '0.01', '0.5'],
    ['b', '0.1', '0.7'],
    ['c', '0.001', '0.6'],
  ] as const) {
    ok(t.home, ['status', name, 'COMPLETE', '--db', db])
    ok(t.home, ['param', name, `lr=${lr}`, '--db', db])
    ok(t.home, ['log', name, 'loss', loss, '--step', '0', '--split', 'valid', '--db', db])
  }
})

const names = (sort: string) => ok(t.home, ['ls', '--sort', sort, '--columns', 'name', '--db', db]).trim().split('\n').slice(1)

describe('mldb ls --sort short forms (issue 8 item 17)', () => {
  it('sorts by a param named without params.', () => {
    expect(names('lr')).toEqual(['c', 'a', 'b'])
    expect(names('lr desc')).toEqual(['b', 'a', 'c'])
    expect(names('params.lr desc')).toEqual(['b', 'a', 'c'])
  })

  it('still sorts by a series named without metrics.', () => {
    expect(names('valid/loss')).toEqual(['a', 'c', 'b'])
    expect(names('min(valid/loss) desc')).toEqual(['b', 'c', 'a'])
  })

  it.each([
    ['nosuch', /^mldb: unknown field "nosuch"/],
    ['max(lr)', /^mldb: unknown series "lr" in max\(\)/],
    ['min(nosuch)', /^mldb: unknown series "nosuch" in min\(\)/],
    ['min(valid/loss', /^mldb: expected "\)" at column 15/],
    ['mean(valid/loss)', /^mldb: expected asc, desc or the end, found "\("/],
  ])('refuses --sort %j in one line instead of ignoring it', (sort, message) => {
    const r = mldb(t.home, ['ls', '--sort', sort, '--db', db])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    // the user wrote a sort key, no filter: it said "at column 1 of filter: nosuch"
    expect(r.stderr).toContain(` of sort key: ${sort}\n`)
    expect(r.stderr).not.toContain('filter')
  })
})

describe('mldb ls --sort with a name the filter language would split', () => {
  const spaced = join(t.home, 'spaced.db')
  beforeAll(() => {
    for (const [name, batch, acc] of [
      ['a', '64', '0.7'],
      ['b', '16', '0.9'],
      ['c', '32', '0.8'],
    ] as const) {
      ok(t.home, ['param', name, `batch size=${batch}`, '--db', spaced])
      ok(t.home, ['log', name, 'top-1 acc', acc, '--step', '0', '--db', spaced])
    }
  })
  const sorted = (sort: string) => ok(t.home, ['ls', '--sort', sort, '--columns', 'name', '--db', spaced]).trim().split('\n').slice(1)

  it('sorts by a param whose name has a space, as by a series whose name has one', () => {
    // it was taken as the series metrics.`batch size`, which no run has: the default order, exit 0
    expect(sorted('batch size')).toEqual(['b', 'c', 'a'])
    expect(sorted('batch size desc')).toEqual(['a', 'c', 'b'])
    expect(sorted('top-1 acc desc')).toEqual(['b', 'c', 'a'])
    expect(sorted('max(top-1 acc) desc')).toEqual(['b', 'c', 'a'])
  })

  it('refuses such a name when it names nothing, or a param and a series', () => {
    ok(t.home, ['log', 'd', 'batch size', '8', '--step', '0', '--create', '--db', spaced])
    for (const [sort, message] of [
      ['no such', 'mldb: --sort: unknown field "no such": no param or series has that name; write params.`no such` or metrics.`no such`\n'],
      ['batch size', 'mldb: --sort: "batch size" is ambiguous: it names params.`batch size` and metrics.`batch size`; write one of them\n'],
      // it was sorted by the series metrics.`top-5 acc` that no run has: the default order, exit 0
      ['max(top-5 acc) desc', 'mldb: --sort: unknown series "top-5 acc" in max(): no experiment has it; write max(metrics.<split>/<name>)\n'],
    ]) {
      const r = mldb(t.home, ['ls', '--sort', sort as string, '--db', spaced])
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(message)
      expect(r.status).toBe(1)
    }
  })
})

describe('mldb ls --columns short forms (issue 8 item 17)', () => {
  it('refuses a name that is a param of one run and a series of another, as --where and --sort do', () => {
    const both = join(t.home, 'both.db')
    // a common case: the starting lr as a param, the scheduler's lr as a series
    ok(t.home, ['param', 'fixed', 'lr=0.1', '--db', both])
    ok(t.home, ['log', 'scheduled', 'lr', '0.05', '--step', '0', '--create', '--db', both])
    const r = mldb(t.home, ['ls', '--columns', 'name,lr', '--db', both])
    // exit 1 as for --where and --sort: the name is judged against the file, not the command line (it was 2)
    expect([r.status, r.stdout]).toEqual([1, ''])
    expect(r.stderr).toBe('mldb: --columns: "lr" is ambiguous: it names params.lr and metrics.lr; write one of them\n')
    expect(ok(t.home, ['ls', '--columns', 'name,params.lr,metrics.lr', '--db', both])).toMatch(/^name\s+lr\s+lr\nscheduled\s+-\s+0\.05\nfixed\s+0\.1\s+-\n$/)
  })

  it('takes a short name that is only a param or only a series', () => {
    expect(ok(t.home, ['ls', '--columns', 'name,lr,valid/loss', '--db', db])).toMatch(/^name\s+lr\s+valid\/loss\nc\s+0\.001\s+0\.6\n/)
  })
})

describe('mldb ls: --columns and --sort judge a short name by one rule, the --where one', () => {
  // project p has lr only as a param; a run of project q, in the trash, logs lr as a series
  const mixed = join(t.home, 'mixed.db')
  beforeAll(() => {
    for (const [name, lr] of [
      ['p1', '0.1'],
      ['p2', '0.01'],
    ] as const) {
      ok(t.home, ['status', name, 'COMPLETE', '--project', 'p', '--db', mixed])
      ok(t.home, ['param', name, `lr=${lr}`, '--db', mixed])
    }
    ok(t.home, ['status', 'q1', 'COMPLETE', '--project', 'q', '--db', mixed])
    ok(t.home, ['log', 'q1', 'lr', '0.05', '--step', '0', '--db', mixed])
    ok(t.home, ['rm', 'q1', '--db', mixed])
  })
  const ls = (...args: string[]) => mldb(t.home, ['ls', '--project', 'p', ...args, '--db', mixed])

  it('refuses lr in --columns as in --where and --sort, with the same exit status', () => {
    // --columns looked only at the listed rows and showed the param (exit 0); --sort refused it (exit 1)
    const outcomes = [
      ['--where', 'lr > 0'],
      ['--sort', 'lr'],
      ['--columns', 'name,lr'],
    ].map((args) => ls(...args))
    for (const r of outcomes) {
      expect([r.status, r.stdout]).toEqual([1, ''])
      expect(r.stderr).toMatch(/^mldb: .*"lr" is ambiguous: it names params\.lr and metrics\.lr; write one of them/)
    }
    expect(ls('--sort', 'params.lr desc', '--columns', 'name,params.lr').stdout).toMatch(/^name\s+lr\np1\s+0\.1\np2\s+0\.01\n$/)
  })

  it('refuses a --columns name that no param or series has, as --sort does', () => {
    // it showed a column of dashes, exit 0
    const r = ls('--columns', 'name,nosuch')
    expect([r.status, r.stdout]).toEqual([1, ''])
    expect(r.stderr).toBe('mldb: --columns: unknown field "nosuch": no param or series has that name; write params.nosuch or metrics.nosuch\n')
    expect(ls('--sort', 'nosuch').status).toBe(1)
    // judged before listing, so also when no row matches
    expect(mldb(t.home, ['ls', '--project', 'none', '--columns', 'name,nosuch', '--db', mixed]).status).toBe(1)
  })
})
