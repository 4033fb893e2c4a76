import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, FilterSyntaxError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('listing and filtering experiments', () => {
  const t = tempDir()
  let db: Database
  beforeAll(() => {
    db = new Database({ path: join(t.dir, 'm.db') })
    const configs = [
      { name: 'a', lr: 0.01, opt: 'adam', valid: [0.9, 0.5, 0.25], status: 'COMPLETE', project: 'iris' },
      { name: 'b', lr: 0.1, opt: 'sgd', valid: [0.8, 0.4, 0.35], status: 'COMPLETE', project: 'iris' },
      { name: 'c', lr: 0.5, opt: 'adam', valid: [0.7, 0.2, 0.6], status: 'FAILED', project: 'iris' },
      { name: 'd', lr: 0.05, opt: 'sgd', valid: [1, 0.9, 0.1], status: 'TRAINING', project: 'mnist' },
    ]
    for (const c of configs) {
      db.setExpStatus(c.name, c.status, { project: c.project })
      db.setParams(c.name, { lr: c.lr, optimizer: c.opt })
      c.valid.forEach((v, step) => {
        db.addLossValue(c.name, 'valid', step, v)
        db.addLossValue(c.name, 'train', step, v / 2)
      })
      db.addMetricValue(c.name, 'rmse', 0, c.lr * 10)
    }
    db.setTags('a', { team: 'vision' })
  })
  afterAll(() => {
    db.close()
    t.cleanup()
  })

  const names = (opts: Parameters<Database['listExperiments']>[0]) => db.listExperiments(opts).map((e) => e.name)

  it('lists newest first with params and the latest, min and max of each series', () => {
    const all = db.listExperiments()
    expect(all.map((e) => e.name)).toEqual(['d', 'c', 'b', 'a'])
    const a = all.find((e) => e.name === 'a')!
    expect(a.project).toBe('iris')
    expect(a.params).toEqual({ lr: 0.01, optimizer: 'adam' })
    expect(a.tags).toEqual({ team: 'vision' })
    expect(a.series['valid/loss']).toMatchObject({ last: 0.25, min: 0.25, max: 0.9, count: 3, lastStep: 2 })
    expect(a.series.rmse).toMatchObject({ last: 0.1, split: '' })
  })

  it('filters by project, status and name', () => {
    expect(names({ project: 'mnist' })).toEqual(['d'])
    expect(names({ status: 'complete' })).toEqual(['b', 'a'])
    expect(names({ name: 'c' })).toEqual(['c'])
    expect(names({ name: '[ab]*' })).toEqual(['b', 'a'])
  })

  it("takes the filter language: params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'", () => {
    expect(names({ where: "params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'" })).toEqual(['a'])
    expect(names({ where: "params.optimizer = 'adam'" })).toEqual(['c', 'a'])
    expect(names({ where: "params.optimizer in ('sgd') or tags.team = 'vision'" })).toEqual(['d', 'b', 'a'])
    expect(names({ where: 'min(metrics.valid/loss) <= 0.2' })).toEqual(['d', 'c'])
    expect(names({ where: 'max(metrics.valid/loss) >= 1' })).toEqual(['d'])
    expect(names({ where: "not project = 'iris'" })).toEqual(['d'])
    expect(names({ where: 'tags.team is null and params.lr >= 0.1' })).toEqual(['c', 'b'])
    expect(names({ where: "name like 'a%'" })).toEqual(['a'])
    expect(names({ where: 'metrics.train/loss < 0.2 and (params.lr = 0.01 or params.lr = 0.05)' })).toEqual(['d', 'a'])
    // a number never matches a text param, and the other way round
    expect(names({ where: 'params.optimizer > 0' })).toEqual([])
  })

  it('orders by a series or a param, and limits', () => {
    expect(names({ orderBy: 'metrics.valid/loss' })).toEqual(['d', 'a', 'b', 'c'])
    expect(names({ orderBy: 'params.lr desc', limit: 2 })).toEqual(['c', 'b'])
    expect(names({ orderBy: 'name', limit: 2, offset: 1 })).toEqual(['b', 'c'])
    expect(db.countExperiments({ project: 'iris' })).toBe(3)
  })

  it('finds the best experiment by the min or max a series reached', () => {
    expect(db.bestExperiment('valid/loss', 'min')).toMatchObject({ name: 'd', best: 0.1 })
    expect(db.bestExperiment('valid/loss', 'min', { where: "status = 'COMPLETE'" })).toMatchObject({ name: 'a', best: 0.25 })
    expect(db.bestExperiment('valid/loss', 'max', { project: 'iris' })).toMatchObject({ name: 'a', best: 0.9 })
    expect(db.bestExperiment('nothing/here', 'min')).toBeUndefined()
  })

  it('points at the column of a syntax error and never runs SQL from the filter', () => {
    const err = (() => {
      try {
        db.listExperiments({ where: 'params.lr < 0.1 and and' })
      } catch (e) {
        return e
      }
    })() as FilterSyntaxError
    expect(err).toBeInstanceOf(FilterSyntaxError)
    expect(err.column).toBe(21)
    expect(err.message).toMatch(/column 21/)
    expect(() => db.listExperiments({ where: 'params.lr < 0.1; DROP TABLE experiments' })).toThrow(FilterSyntaxError)
    expect(() => db.listExperiments({ where: 'bogus = 1' })).toThrow(/unknown field "bogus"/)
    expect(() => db.listExperiments({ where: 'constructor = 1' })).toThrow(/unknown field "constructor"/)
    expect(() => db.listExperiments({ where: 'min(__proto__) = 1' })).toThrow(FilterSyntaxError)
    expect(() => db.listExperiments({ orderBy: 'params.\nlr desc' })).toThrow(FilterSyntaxError)
    // a sort key's error speaks of the sort key, not of a filter nobody wrote
    const sortErr = (() => {
      try {
        db.listExperiments({ orderBy: 'params.lr sideways' })
      } catch (e) {
        return e
      }
    })() as FilterSyntaxError
    expect([sortErr.column, sortErr.field, sortErr.message.endsWith('at column 11 of sort key: params.lr sideways')]).toEqual([11, 'orderBy', true])
    expect(names({ where: "name = 'x'' OR 1=1 --'" })).toEqual([])
    expect(db.countExperiments()).toBe(4)
  })

  it('reads -inf, statuses in any case, unicode and quoted series names', () => {
    db.addMetricValue('u', 'genauigkeit_ü', 0, Number.NEGATIVE_INFINITY)
    db.addMetricValue('u', 'top-1 acc', 0, 0.75)
    db.addMetricValue('v', 'top-1 acc', 0, 0.5)
    expect(names({ where: 'metrics.genauigkeit_ü = -inf' })).toEqual(['u'])
    expect(names({ where: "status = 'complete'" })).toEqual(['b', 'a'])
    expect(names({ where: 'metrics.`top-1 acc` > 0.6' })).toEqual(['u'])
    expect(db.bestExperiment('top-1 acc', 'max')).toMatchObject({ name: 'u', best: 0.75 })
    expect(db.bestExperiment('genauigkeit_ü', 'min')).toMatchObject({ name: 'u', best: Number.NEGATIVE_INFINITY })
    db.purgeExperiment('u')
    db.purgeExperiment('v')
  })
})
