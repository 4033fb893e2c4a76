import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

/** How many experiments have their listing row (migration 008). */
const rows = (db: Database) => (db.query('SELECT count(*) AS n FROM experiment_lists')[0] as { n: number }).n

describe('listings read one experiment_lists row per experiment, always up to date', () => {
  const ctx = freshDatabasePerTest()

  it('keeps a row per experiment after a listing, and drops it whenever params, tags or series change', () => {
    ctx.db.setParams('a', { lr: 0.1 })
    ctx.db.logBatch('b', [{ name: 'loss', step: 0, value: 1 }])
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual(['b', 'a'])
    expect(rows(ctx.db)).toBe(2)
    ctx.db.setTags('a', { note: 'x' })
    ctx.db.addMetricValue('b', 'loss', 1, Number.NaN)
    ctx.db.logBatch('b', [{ name: 'acc', split: 'valid', step: 0, value: Number.POSITIVE_INFINITY }])
    const [b, a] = ctx.db.listExperiments()
    expect(a).toMatchObject({ params: { lr: 0.1 }, tags: { note: 'x' } })
    expect(b?.series.loss).toMatchObject({ count: 2, lastStep: 1, min: 1, max: 1, nanCount: 1 })
    expect(b?.series.loss?.last).toBeNaN()
    expect(b?.series['valid/acc']).toMatchObject({ count: 1, last: Number.POSITIVE_INFINITY, max: Number.POSITIVE_INFINITY })
    expect(rows(ctx.db)).toBe(2)
    // The listing equals the three tables read one by one.
    expect(ctx.db.getSeries('b')).toEqual(Object.values(b?.series ?? {}).sort((x, y) => (x.split + x.name).localeCompare(y.split + y.name)))
  })

  it('lists exact values from a read-only connection, building missing rows on the fly', () => {
    ctx.db.setParams('a', { lr: 0.1, layers: [64, 64] })
    ctx.db.logBatch('a', [{ name: 'loss', step: 3, value: -0.5 }])
    ctx.db.query('DELETE FROM experiment_lists')
    using reader = new Database({ path: join(ctx.dir, 'm.db'), readonly: true })
    expect(reader.listExperiments()[0]).toMatchObject({ params: { lr: 0.1, layers: [64, 64] }, series: { loss: { count: 1, last: -0.5 } } })
    expect(rows(ctx.db)).toBe(0)
    // A writable connection stores what it built.
    ctx.db.listExperiments()
    expect(rows(ctx.db)).toBe(1)
  })

  it('filters, sorts and pages the same way', () => {
    for (let i = 0; i < 5; i++) {
      ctx.db.setParams(`e${i}`, { lr: i / 10 })
      ctx.db.logBatch(`e${i}`, [{ name: 'loss', split: 'valid', step: 0, value: 1 - i / 10 }])
    }
    const found = ctx.db.listExperiments({ where: 'params.lr >= 0.2', orderBy: 'metrics.valid/loss asc', limit: 2, offset: 1 })
    expect(found.map((e) => e.name)).toEqual(['e3', 'e2'])
    expect(found[0]?.series['valid/loss']?.last).toBeCloseTo(0.7)
  })
})
