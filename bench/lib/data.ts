import type { BatchPoint } from '../../src/index.js'

/** A loss-like curve with noise: never an integer, so every value costs a REAL on disk. */
export const lossAt = (step: number, seed = 0): number => 2 * Math.exp(-step / 200_000) + 0.05 * Math.sin(step * 12.9898 + seed * 78.233) + 0.013

/** Wall time of a step: training does a step every few tens of ms. */
export const timeAt = (t0: number, step: number): number => t0 + step * 37

/**
 * `calls` batches of `perCall` points spread over `series` series (train/s0, ...),
 * each series advancing by perCall / series steps per call, as run.log of many
 * values over several steps would write them.
 */
export function makeBatches(calls: number, perCall: number, series: number, t0 = Date.now()): BatchPoint[][] {
  const stepsPerCall = Math.ceil(perCall / series)
  return Array.from({ length: calls }, (_, c) => {
    const batch: BatchPoint[] = []
    for (let k = 0; k < stepsPerCall && batch.length < perCall; k++) {
      const step = c * stepsPerCall + k
      for (let s = 0; s < series && batch.length < perCall; s++) {
        batch.push({ name: `s${s}`, split: 'train', step, value: lossAt(step, s), time: timeAt(t0, step) })
      }
    }
    return batch
  })
}
