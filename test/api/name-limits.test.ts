import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

// mldb's name limits are MLflow's (docs/schema.md, "Limits"), so what MLflow accepts imports.
describe('name limits', () => {
  const ctx = freshDatabasePerTest()

  it("takes a series name of 250 characters (MLflow's metric keys), refuses 251", () => {
    ctx.db.addMetricValue('e', 'm'.repeat(250), 0, 1)
    expect(ctx.db.getSeries('e').map((s) => s.name)).toEqual(['m'.repeat(250)])
    expect(() => ctx.db.addMetricValue('e', 'm'.repeat(251), 0, 1)).toThrow(/series name "m+\.\.\." is 251 characters; the limit is 250/)
  })

  it('takes an experiment name of 300 characters (a 250-character run name and its -<32 hex>), refuses 301', () => {
    const long = `${'r'.repeat(250)}-${'0123456789abcdef'.repeat(2)}`.padEnd(300, 'x')
    ctx.db.setExpStatus(long, 'TRAINING')
    expect(ctx.db.getExpStatus(long)).toBe('TRAINING')
    expect(() => ctx.db.setExpStatus('r'.repeat(301), 'TRAINING')).toThrow(/experiment name "r+\.\.\." is 301 characters; the limit is 300/)
  })

  it("takes a project name of 500 characters (MLflow's experiment names), refuses 501", () => {
    ctx.db.setExpStatus('a', 'TRAINING', { project: 'p'.repeat(500) })
    expect(ctx.db.getExperiment('a').project).toBe('p'.repeat(500))
    expect(() => ctx.db.setExpStatus('b', 'TRAINING', { project: 'p'.repeat(501) })).toThrow(/the limit is 500/)
  })

  it('keeps a tab in experiment and project names, as MLflow does; refuses other control characters and tabs in series names', () => {
    ctx.db.setExpStatus('run\t1', 'TRAINING', { project: 'exp\tA' })
    expect(ctx.db.getExperiment('run\t1').project).toBe('exp\tA')
    expect(() => ctx.db.setExpStatus('run\n2', 'TRAINING')).toThrow(ValidationError)
    expect(() => ctx.db.setExpStatus('run\u001b2', 'TRAINING')).toThrow(/control characters/)
    // MLflow's metric keys hold no tab either
    expect(() => ctx.db.addMetricValue('run\t1', 'a\tb', 0, 1)).toThrow(/series name .* contains control characters/)
  })
})
