import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/index.js'
import { parseSweepConfig } from '../../src/sweep/config.js'
import { parseSweepText } from '../../src/sweep/load-config.js'

const base = { name: 's', metric: { name: 'loss' }, parameters: { x: { min: 0, max: 1 } } }

function errorOf(raw: unknown): ValidationError {
  try {
    parseSweepConfig(raw)
  } catch (e) {
    if (e instanceof ValidationError) return e
    throw e
  }
  throw new Error('no error')
}

describe('sweep config (W&B format)', () => {
  it('reads a W&B sweep.yaml: ints stay int_uniform, 0.0 stays a float, nested parameters, hyperband', () => {
    const raw = parseSweepText(`
program: train.py
method: bayes
metric: {name: valid/loss, goal: minimize}
run_cap: 20
early_terminate: {type: hyperband, min_iter: 3}
parameters:
  epochs: {value: 10}
  batch: {values: [16, 32, 64]}
  layers: {min: 1, max: 4}
  dropout: {min: 0.0, max: 0.5}
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  optimizer:
    parameters:
      momentum: {distribution: q_uniform, min: 0.5, max: 0.9, q: 0.1}
`)
    const c = parseSweepConfig(raw, { name: 'from-file' })
    expect(c.name).toBe('from-file')
    expect(c.method).toBe('bayes')
    expect(c.runCap).toBe(20)
    expect(c.earlyTerminate).toEqual({ type: 'hyperband', minIter: 3, eta: 3 })
    expect(c.parameters).toEqual({
      epochs: { distribution: 'constant', value: 10 },
      batch: { distribution: 'categorical', values: [16, 32, 64] },
      layers: { distribution: 'int_uniform', min: 1, max: 4 },
      dropout: { distribution: 'uniform', min: 0, max: 0.5 },
      lr: { distribution: 'log_uniform_values', min: 0.0001, max: 0.1 },
      'optimizer.momentum': { distribution: 'q_uniform', min: 0.5, max: 0.9, q: 0.1 },
    })
    expect(parseSweepConfig({ ...base, method: 'tpe' }).method).toBe('bayes')
  })

  it('names the key at fault', () => {
    expect(errorOf({ ...base, runcap: 3 }).message).toMatch(/runcap: unknown key/)
    expect(errorOf({ ...base, parameters: { x: { min: 2, max: 1 } } }).message).toMatch(/parameters\.x\.max: must be greater than min/)
    expect(errorOf({ ...base, parameters: { x: { min: 0, max: 1, step: 2 } } }).message).toMatch(/parameters\.x\.step: unknown key/)
    expect(errorOf({ ...base, parameters: { x: { distribution: 'beta', min: 0, max: 1 } } }).message).toMatch(/parameters\.x\.distribution: unsupported/)
    expect(errorOf({ ...base, parameters: { x: { distribution: 'log_uniform_values', min: 0, max: 1 } } }).message).toMatch(/parameters\.x\.min: must be > 0/)
    expect(errorOf({ ...base, parameters: { x: { distribution: 'normal', sigma: -1 } } }).message).toMatch(/parameters\.x\.sigma/)
    expect(errorOf({ ...base, method: 'grid' }).message).toMatch(/parameters\.x: method grid needs values/)
    expect(errorOf({ ...base, method: 'hill' }).message).toMatch(/^sweep config: method:/)
    expect(errorOf({ ...base, metric: { name: 'l', goal: 'lower' } }).message).toMatch(/metric\.goal/)
    expect(errorOf({ ...base, run_cap: 0 }).message).toMatch(/run_cap/)
    expect(errorOf({ ...base, early_terminate: { type: 'hyperband' } }).message).toMatch(/early_terminate\.min_iter: is missing/)
    expect(errorOf({ ...base, early_terminate: { type: 'median', n_warmup: 3 } }).message).toMatch(/early_terminate\.n_warmup: unknown key/)
    expect(errorOf({ ...base, parameters: { opt: { parameters: { 'a.b': { value: 1 } } } } }).message).toMatch(/parameters\.opt\.parameters\.a\.b/)
  })
})
