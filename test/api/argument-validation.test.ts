import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expName, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('argument validation of the public API', () => {
  const ctx = freshDatabasePerTest()

  it.each([
    ['where: 42', { where: 42 }, /options.where of listExperiments must be a string, got 42/],
    ['orderBy: {}', { orderBy: {} }, /options.orderBy of listExperiments must be a string/],
    ['name: 10n', { name: 10n }, /options.name of listExperiments must be a string, got 10n/],
    ['limit: 1.5', { limit: 1.5 }, /options.limit of listExperiments must be an integer >= 0, got 1.5/],
    ['limit: NaN', { limit: Number.NaN }, /got NaN/],
    ['limit: -1', { limit: -1 }, /got -1/],
    ['project: {}', { project: {} }, /options.project of listExperiments must be a string/],
    ['status: []', { status: [] }, /options.status of listExperiments must be a string/],
    ['options = null', null, /the options of listExperiments must be an object such as \{\}, got null/],
  ])('listExperiments(%s) is a ValidationError', (_label, options, message) => {
    expect(() => ctx.db.listExperiments(options as never)).toThrow(ValidationError)
    expect(() => ctx.db.listExperiments(options as never)).toThrow(message)
    expect(() => ctx.db.countExperiments(options as never)).toThrow(ValidationError)
  })

  it('refuses options = null on every method that takes options, writing nothing', () => {
    const file = join(ctx.dir, 'm.db')
    ctx.db.addLossValue('e', 'valid', 0, 1)
    const calls: [string, () => unknown][] = [
      ['setExpStatus', () => ctx.db.setExpStatus('e', 'COMPLETE', null as never)],
      ['addMetricValue', () => ctx.db.addMetricValue('e', 'acc', 1, 1, null as never)],
      ['getMetricValues', () => ctx.db.getMetricValues('e', 'loss', null as never)],
      ['downsample', () => ctx.db.downsample('e', 'valid/loss', null as never)],
      ['addFile', () => ctx.db.addFile('e', file, null as never)],
      ['getFiles', () => ctx.db.getFiles('e', null as never)],
      ['checkFiles', () => ctx.db.checkFiles('e', null as never)],
      ['bestExperiment', () => ctx.db.bestExperiment('valid/loss', 'min', null as never)],
      ['startRun', () => ctx.db.startRun(null as never)],
    ]
    for (const [name, call] of calls) expect(call, name).toThrow(new RegExp(`the options of ${name} must be an object`))
    expect(ctx.db.getExpStatus('e')).toBe('TRAINING')
    expect(ctx.db.listExperiments()).toHaveLength(1)
  })

  it('gives BigInts, symbols and functions a ValidationError whose message renders them', () => {
    expect(() => ctx.db.addLossValue('e', 'train', 0, 10n as never)).toThrow(/must be a number \(NaN and Infinity allowed\), got 10n/)
    expect(() => ctx.db.setParams('e', { n: 10n })).toThrow(/param "n" has a value of type bigint/)
    expect(() => ctx.db.setExpStatus(Symbol('x') as never, 'COMPLETE')).toThrow(/experiment name must be a string, got Symbol\(x\)/)
    expect(() => ctx.db.addFile('e', 10n as never)).toThrow(/file path must be a non-empty string, got 10n/)
    expect(() => ctx.db.getMetricValues('e', 'loss', { limit: 2n as never })).toThrow(/got 2n/)
    expect(() => ctx.db.getFileById(1.5)).toThrow(/fileId must be an integer >= 0, got 1.5/)
    expect(() => ctx.db.downsample('e', (() => 1) as never)).toThrow(/series must be a string such as 'valid\/loss', got a function/)
    expect(() => expName(Symbol('p') as never)).toThrow(/expName takes a prefix string/)
    expect(() => expName('p', 'today' as never)).toThrow(/expName takes a valid Date/)
    expect(ctx.db.listExperiments()).toEqual([])
  })

  it('checks a run before it writes: a bad heartbeatMs leaves no experiment, a bad finish status leaves the run going', () => {
    expect(() => ctx.db.startRun({ name: 'r', heartbeatMs: 'often' as never, handleExit: false })).toThrow(
      /options.heartbeatMs of startRun must be an integer >= 1/,
    )
    expect(ctx.db.listExperiments()).toEqual([])
    const run = ctx.db.startRun({ name: 'r', handleExit: false })
    expect(() => run.finish({} as never)).toThrow(ValidationError)
    expect(() => run.log({ loss: 1 }, null as never)).toThrow(/the options of run.log must be an object/)
    run.log({ loss: 1 })
    run.finish()
    expect(ctx.db.getExpStatus('r')).toBe('COMPLETE')
  })
})
