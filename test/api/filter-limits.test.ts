import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, FilterSyntaxError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { setupApp } from '../server/helpers.js'

const rep = (s: string, n: number, sep = '') => Array.from({ length: n }, () => s).join(sep)

/** The filters that once raised RangeError or SqliteError (issue 8 item 4), with the column each must name. */
const HOSTILE: [string, string, number][] = [
  ['( × 3000', `${rep('(', 3000)}params.lr = 1${rep(')', 3000)}`, 33],
  ['not × 1000', `${rep('not ', 1000)}params.lr = 1`, 129],
  ['a 999-term or', rep('x = 1', 999, ' or '), 256 * 9 + 1],
  // the length is checked first: longer than 10,000 characters, whatever else
  ['a 999-term or of long terms', rep('params.lr = 1', 999, ' or '), 10_001],
  ['in with 40,000 values', `params.lr in (${rep('1', 40_000, ',')})`, 10_001],
  ['in with 4,000 values', `params.lr in (${rep('1', 4000, ',')})`, 15 + 2 * 1000],
  ['min( × 1000', `${rep('min(', 1000)}metrics.x${rep(')', 1000)} < 1`, 8],
]

function syntaxError(fn: () => unknown): FilterSyntaxError {
  try {
    fn()
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e
    throw e
  }
  throw new Error('no FilterSyntaxError')
}

describe('filter limits', () => {
  const t = tempDir()
  let db: Database
  beforeAll(() => {
    db = new Database({ path: join(t.dir, 'm.db') })
    db.setParams('a', { lr: 1 })
  })
  afterAll(() => {
    db.close()
    t.cleanup()
  })

  it.each(HOSTILE)('%s is a FilterSyntaxError with a column, from every API call', (_, where, column) => {
    for (const call of [() => db.listExperiments({ where }), () => db.countExperiments({ where }), () => db.bestExperiment('valid/loss', 'min', { where })]) {
      const e = syntaxError(call)
      expect(e.column).toBe(column)
      expect(e.message).toMatch(/nests deeper than 32|more than 256 comparisons|at most 1000 values|longer than 10000 characters|expected "\)"/)
    }
  })

  it('takes filters up to the limits, and SQLite runs them', () => {
    expect(db.listExperiments({ where: `${rep('(', 32)}params.lr = 1${rep(')', 32)}` }).map((e) => e.name)).toEqual(['a'])
    expect(db.listExperiments({ where: `${rep('not ', 32)}params.lr = 1` }).map((e) => e.name)).toEqual(['a'])
    expect(db.listExperiments({ where: `${rep('params.lr = 2', 255, ' or ')} or params.lr = 1` }).map((e) => e.name)).toEqual(['a'])
    const values = Array.from({ length: 1000 }, (_, i) => i + 1)
    expect(db.listExperiments({ where: `params.lr in (${values.join(',')})` }).map((e) => e.name)).toEqual(['a'])
    // the deepest and longest at once: 32 levels, 256 terms, within 10,000 characters
    const deep = `${rep('(', 31)}${rep('not params.lr = 2', 255, ' and ')} and params.lr = 1${rep(')', 31)}`
    expect(db.countExperiments({ where: deep })).toBe(1)
  })

  it('answers HTTP 400 with the message, never 500', async () => {
    const s = setupApp()
    try {
      for (const [, where, column] of [...HOSTILE.slice(0, 3), ...HOSTILE.slice(5)]) {
        const r = await s.json(`/api/experiments?where=${encodeURIComponent(where)}`)
        expect(r.status).toBe(400)
        expect(r.body.error.message).toContain(`at column ${column} of filter`)
      }
      const long = await s.json(`/api/experiments?where=${encodeURIComponent(HOSTILE[3]?.[1] ?? '')}`)
      expect(long.status).toBe(400)
    } finally {
      s.close()
    }
  })
})

describe('short forms', () => {
  const t = tempDir()
  let db: Database
  beforeAll(() => {
    db = new Database({ path: join(t.dir, 'm.db') })
    db.setParams('a', { lr: 0.01, both: 1, 'model.depth': 3 })
    db.setParams('b', { lr: 0.5, both: 2, 'model.depth': 5 })
    db.addLossValue('a', 'valid', 0, 0.2)
    db.addLossValue('b', 'valid', 0, 0.9)
    db.addMetricValue('a', 'both', 0, 1)
    db.setParams('trashed', { only_in_trash: 1 })
    db.trashExperiment('trashed')
  })
  afterAll(() => {
    db.close()
    t.cleanup()
  })
  const names = (o: Parameters<Database['listExperiments']>[0]) => db.listExperiments(o).map((e) => e.name)

  it('reads a bare name as the param or series the file has', () => {
    expect(names({ where: 'lr < 0.1' })).toEqual(['a'])
    expect(names({ where: 'valid/loss > 0.5' })).toEqual(['b'])
    expect(names({ where: 'min(valid/loss) < 0.5 and model.depth = 3' })).toEqual(['a'])
    expect(names({ orderBy: 'valid/loss desc' })).toEqual(['b', 'a'])
    expect(names({ orderBy: 'lr' })).toEqual(['a', 'b'])
    expect(db.countExperiments({ where: 'only_in_trash = 1' })).toBe(0)
    expect(db.bestExperiment('valid/loss', 'min', { where: 'lr > 0.1' })).toMatchObject({ name: 'b' })
  })

  it('names the candidates when a bare name is ambiguous or unknown', () => {
    const amb = syntaxError(() => db.listExperiments({ where: 'lr < 1 and both = 1' }))
    expect(amb.column).toBe(12)
    expect(amb.message).toMatch(/^"both" is ambiguous: it names params\.both and metrics\.both; write one of them/)
    expect(names({ where: 'params.both = 1' })).toEqual(['a'])
    const unknown = syntaxError(() => db.listExperiments({ where: 'lrr < 1' }))
    expect(unknown.message).toMatch(/^unknown field "lrr": no param or series has that name/)
    expect(() => db.listExperiments({ where: 'min(lr) < 1' })).toThrow(/unknown series "lr" in min\(\)/)
    expect(() => db.listExperiments({ where: "valid/loss = 'x'" })).toThrow(/metrics compare with numbers/)
    // the caller's own columns, though best adds a condition of its own
    expect(syntaxError(() => db.bestExperiment('valid/loss', 'min', { where: 'lr < 1 and nope = 1' })).column).toBe(12)
  })

  it('serves the dashboard: GET /api/experiments?where=lr < 0.1', async () => {
    const s = setupApp()
    try {
      s.db.setParams('x', { lr: 0.01 })
      s.db.setParams('y', { lr: 0.5 })
      const r = await s.json<{ experiments: { name: string }[] }>(`/api/experiments?where=${encodeURIComponent('lr < 0.1')}`)
      expect(r.status).toBe(200)
      expect(r.body.experiments.map((e) => e.name)).toEqual(['x'])
      const bad = await s.json(`/api/experiments?where=${encodeURIComponent('lrx < 0.1')}`)
      expect(bad.status).toBe(400)
      expect(bad.body.error.message).toMatch(/unknown field "lrx"/)
    } finally {
      s.close()
    }
  })
})
