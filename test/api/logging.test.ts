import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Database, expName, MldbError, NotFoundError, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('logging values', () => {
  const ctx = freshDatabasePerTest()

  it('names experiments like the seed: YYYYMMDD_HHMMSS_prefix', () => {
    expect(expName('TestModel', new Date(2026, 7, 3, 9, 17, 2))).toBe('20260803_091702_TestModel')
    expect(expName('x')).toMatch(/^\d{8}_\d{6}_x$/)
  })

  it('creates the experiment on its first status and records every change with its time', () => {
    const before = Date.now()
    ctx.db.setExpStatus('e1', 'TRAINING')
    ctx.db.setExpStatus('e1', 'VALIDATING')
    ctx.db.setExpStatus('e1', 'COMPLETE')
    expect(ctx.db.getExpStatus('e1')).toBe('COMPLETE')
    const h = ctx.db.getStatusHistory('e1')
    expect(h.map((c) => c.status)).toEqual(['TRAINING', 'VALIDATING', 'COMPLETE'])
    expect(h[0]?.time).toBeGreaterThanOrEqual(before)
    const e = ctx.db.getExperiment('e1')
    // started when it began TRAINING, ended when it reached COMPLETE
    expect([e.startedAt, e.endedAt]).toEqual([h[0]?.time, h[2]?.time])
  })

  it('returns losses and metrics in step order with NaN and ±Infinity exactly', () => {
    ctx.db.setExpStatus('e', 'TRAINING')
    const values = [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.25, 1e-300]
    values.forEach((v, i) => {
      ctx.db.addLossValue('e', 'train', values.length - 1 - i, v)
    })
    const back = ctx.db.getLossValues('e', 'train')
    expect(back.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5])
    expect(back.map((p) => p.value)).toEqual([...values].reverse())
    ctx.db.addMetricValue('e', 'rmse', 0, Number.NaN)
    ctx.db.addMetricValue('e', 'acc', 3, 0.9, { split: 'valid' })
    expect(ctx.db.getMetricValues('e', 'rmse')[0]?.value).toBeNaN()
    expect(ctx.db.getMetricValues('e', 'acc', { split: 'valid' })).toMatchObject([{ step: 3, value: 0.9 }])
    expect(back.every((p) => typeof p.time === 'number' && p.time > 0)).toBe(true)
  })

  it('keeps two values logged at the same step, in the order logged', () => {
    ctx.db.addLossValue('e', 'train', 1, 0.3)
    ctx.db.addLossValue('e', 'train', 1, 0.2)
    ctx.db.addLossValue('e', 'train', 0, 0.9)
    expect(ctx.db.getLossValues('e', 'train').map((p) => [p.step, p.value])).toEqual([
      [0, 0.9],
      [1, 0.3],
      [1, 0.2],
    ])
  })

  it('summarises each series: count, last, min, max, ignoring NaN for min and max', () => {
    ;[3, Number.NaN, 1, 7, 2].forEach((v, step) => {
      ctx.db.addMetricValue('e', 'x', step, v)
    })
    ctx.db.logBatch('e', [
      { name: 'x', step: 10, value: -1 },
      { name: 'x', step: 11, value: Number.NaN },
    ])
    const [s] = ctx.db.getSeries('e')
    expect(s).toMatchObject({ key: 'x', count: 7, firstStep: 0, lastStep: 11, min: -1, max: 7, nanCount: 2 })
    expect(s?.last).toBeNaN()
  })

  it('logs a batch in one call, and a run.log of several values at one step', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ name: 'loss', split: 'train', step: i, value: 1 / (i + 1) }))
    ctx.db.logBatch('b', points)
    expect(ctx.db.getLossValues('b', 'train')).toHaveLength(1000)
    const run = ctx.db.startRun({ name: 'r', params: { lr: 0.1 }, handleExit: false })
    run.log({ loss: 0.3, acc: 0.9 }, { step: 0, split: 'train' })
    run.log({ loss: 0.2, acc: 0.95 }, { split: 'train' })
    expect(ctx.db.getMetricValues('r', 'acc', { split: 'train' }).map((p) => [p.step, p.value])).toEqual([
      [0, 0.9],
      [1, 0.95],
    ])
    run.finish()
    expect(ctx.db.getExpStatus('r')).toBe('COMPLETE')
  })

  it('rejects bad names, steps and values with a ValidationError and writes nothing', () => {
    const bad: [() => void, RegExp][] = [
      [() => ctx.db.addMetricValue('', 'x', 0, 1), /experiment name is empty/],
      [() => ctx.db.addMetricValue('x'.repeat(301), 'x', 0, 1), /limit is 300/],
      [() => ctx.db.addMetricValue('e', 'x', 2 ** 53, 1), /step must be an integer from -9007199254740991 to 9007199254740991/],
      [() => ctx.db.addMetricValue('e', 'x', 1.5, 1), /step must be an integer from/],
      [() => ctx.db.addMetricValue('e', 'x', 0, '1' as unknown as number), /must be a number/],
      [() => ctx.db.addLossValue('e', 'a/b', 0, 1), /split "a\/b" contains "\/"/],
      [() => ctx.db.setExpStatus('e', 'LOST'), /derived/],
      [
        () =>
          ctx.db.logBatch('e', [
            { name: 'ok', step: 0, value: 1 },
            { name: 'ok', step: -3.5, value: 1 },
          ]),
        /step/,
      ],
    ]
    for (const [call, message] of bad) {
      expect(call).toThrow(ValidationError)
      expect(call).toThrow(message)
    }
    expect(ctx.db.countExperiments()).toBe(0)
    expect(ctx.db.query('SELECT count(*) AS n FROM points')).toEqual([{ n: 0 }])
  })

  it('raises NotFoundError naming an experiment or series that does not exist', () => {
    expect(() => ctx.db.getExpStatus('nope')).toThrow(NotFoundError)
    expect(() => ctx.db.getExpStatus('nope')).toThrow(/no experiment named "nope"/)
    ctx.db.addMetricValue('e', 'x', 0, 1)
    expect(() => ctx.db.getMetricValues('e', 'y')).toThrow(/has no series "y"/)
    expect(() => ctx.db.getLossValues('e', 'train')).toThrow(/has no series "train\/loss"/)
  })

  it('writes params once: the same value again is fine, a different one is refused without writing', () => {
    ctx.db.setParams('e', { lr: 0.01, hidden: [64, 64], optimizer: 'adam', nested: { a: true } })
    ctx.db.setParams('e', { lr: 0.01 })
    expect(() => ctx.db.setParams('e', { batch: 32, lr: 0.02 })).toThrow(/param "lr" .* is already 0.01/)
    expect(ctx.db.getParams('e')).toEqual({ lr: 0.01, hidden: [64, 64], optimizer: 'adam', nested: { a: true } })
    expect(() => ctx.db.setParams('e', { bad: Number.NaN })).toThrow(ValidationError)
    expect(() => ctx.db.setParams('e', { fn: () => 1 })).toThrow(ValidationError)
  })

  it('keeps tags (replaceable) and notes', () => {
    ctx.db.setTags('e', { team: 'vision', v: 2 })
    ctx.db.setTags('e', { team: 'nlp' })
    ctx.db.setNotes('e', 'first try')
    expect(ctx.db.getTags('e')).toEqual({ team: 'nlp', v: '2' })
    expect(ctx.db.getNotes('e')).toBe('first try')
  })

  it('answers raw SQL with rows as objects and parameters', () => {
    ctx.db.setExpStatus('a', 'COMPLETE')
    ctx.db.setExpStatus('b', 'FAILED')
    expect(ctx.db.query('SELECT EXP_ID FROM STATUS WHERE STATUS = ?', 'FAILED')).toEqual([{ EXP_ID: 'b' }])
    expect(() => ctx.db.query('SELEC nonsense')).toThrow(MldbError)
  })

  it('closes, and using-blocks close it too', () => {
    const path = join(ctx.dir, 'u.db')
    {
      using d = new Database({ path })
      d.setExpStatus('x', 'PENDING')
    }
    const d2 = new Database({ path })
    d2.close()
    expect(() => d2.getExpStatus('x')).toThrow(/closed/)
  })
})
