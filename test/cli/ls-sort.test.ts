// Issue 8 item 17: `mldb ls --sort` takes the short forms `--where` and
// `--columns` take (`lr` is params.lr when only a param has that name), and a
// sort key that names nothing is refused instead of silently leaving the
// listing in its default order.
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
  })
})
