import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { tfjsCallback } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('tfjsCallback: a TensorFlow.js fit callback', () => {
  const ctx = freshDatabasePerTest()

  it('logs each epoch of a real fit as train and valid series and finishes the run', async () => {
    await tf.setBackend('cpu')
    const run = ctx.db.startRun({ name: 'tfjs', project: 'tiny', params: { lr: 0.05 }, handleExit: false })
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    })
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] })
    const xs = tf.tensor2d(Array.from({ length: 40 }, (_, i) => [(i % 7) / 7, (i % 5) / 5]))
    const ys = tf.tensor2d(Array.from({ length: 40 }, (_, i) => [(i % 7) / 7 + (i % 5) / 5 > 1 ? 1 : 0]))
    const history = await model.fit(xs, ys, { epochs: 5, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: tfjsCallback(run, { finish: true }) })
    xs.dispose()
    ys.dispose()

    expect(ctx.db.getExpStatus('tfjs')).toBe('COMPLETE')
    const series = Object.fromEntries(ctx.db.getSeries('tfjs').map((s) => [`${s.split}/${s.name}`, s.count]))
    expect(series).toEqual({ 'train/loss': 5, 'train/acc': 5, 'valid/loss': 5, 'valid/acc': 5 })
    const valid = ctx.db.getMetricValues('tfjs', 'loss', { split: 'valid' })
    expect(valid.map((p) => p.step)).toEqual([0, 1, 2, 3, 4])
    // the very numbers TensorFlow.js reported in its history
    expect(valid.map((p) => p.value)).toEqual((history.history.val_loss as number[]).map(Number))
    expect(ctx.db.getParams('tfjs')).toEqual({ lr: 0.05 })
  })

  it('continues a run at an offset and leaves its status alone without finish', async () => {
    const run = ctx.db.startRun({ name: 'resume', handleExit: false })
    const cb = tfjsCallback(run, { stepOffset: 10 })
    await cb.onEpochEnd(0, { loss: 0.5, val_loss: 0.6, note: 'not a number' })
    await cb.onTrainEnd()
    expect(ctx.db.getMetricValues('resume', 'loss', { split: 'train' }).map((p) => [p.step, p.value])).toEqual([[10, 0.5]])
    expect(ctx.db.getMetricValues('resume', 'loss', { split: 'valid' }).map((p) => p.value)).toEqual([0.6])
    expect(ctx.db.getExpStatus('resume')).toBe('TRAINING')
    run.finish()
  })
})
