import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
const db = ['--db', t.db]
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
  ok(t.home, ['param', 'a', 'lr=0.01', ...db])
  ok(t.home, ['param', 'b', 'lr=0.5', ...db])
  ok(t.home, ['log', 'a', 'loss', '0.2', '--step', '0', '--split', 'valid', ...db])
  ok(t.home, ['log', 'b', 'loss', '0.9', '--step', '0', '--split', 'valid', ...db])
})

const rep = (s: string, n: number, sep = '') => Array.from({ length: n }, () => s).join(sep)

describe('mldb --where', () => {
  it('takes short forms: lr < 0.1, valid/loss > 0.5', () => {
    const names = (where: string) => (JSON.parse(ok(t.home, ['ls', '--where', where, '--json', ...db])) as { name: string }[]).map((e) => e.name)
    expect(names('lr < 0.1')).toEqual(['a'])
    expect(names('valid/loss > 0.5')).toEqual(['b'])
  })

  it.each([
    ['( × 3000', `${rep('(', 3000)}params.lr = 1${rep(')', 3000)}`, 33],
    ['not × 1000', `${rep('not ', 1000)}params.lr = 1`, 129],
    ['a 999-term or', rep('x = 1', 999, ' or '), 2305],
    ['in with 40,000 values', `params.lr in (${rep('1', 40_000, ',')})`, 10_001],
  ])('refuses %s in one line with the column', (_, where, column) => {
    const r = mldb(t.home, ['ls', '--where', where, ...db])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')).toHaveLength(2)
    expect(r.stderr).toMatch(new RegExp(`^mldb: .* at column ${column} of filter: `))
  })
})
