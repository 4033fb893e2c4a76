import type { Run } from '../api/run.js'

/** What `tfjsCallback` returns: TensorFlow.js's `CustomCallbackArgs` shape, without importing TensorFlow.js. */
export interface TfjsFitCallback {
  onEpochEnd: (epoch: number, logs?: Record<string, unknown>) => Promise<void>
  onTrainEnd: (logs?: Record<string, unknown>) => Promise<void>
}

/** Options for `tfjsCallback`. */
export interface TfjsCallbackOptions {
  /** mark the run COMPLETE when `fit` ends; default false (the run's owner finishes it) */
  finish?: boolean
  /** added to TensorFlow.js's epoch numbers, for a second `fit` continuing the same run; default 0 */
  stepOffset?: number
}

/**
 * A TensorFlow.js `model.fit` callback that logs each epoch's logs into a run:
 * `val_*` keys into split `valid` (`val_loss` → `valid/loss`), the rest into
 * `train`, at the epoch as step. Duck-typed, so mldb does not depend on TensorFlow.js.
 *
 * @example
 * const run = db.startRun({ project: 'iris', params: { lr: 0.01 } })
 * await model.fit(xs, ys, { epochs: 20, validationSplit: 0.2, callbacks: tfjsCallback(run, { finish: true }) })
 */
export function tfjsCallback(run: Run, options: TfjsCallbackOptions = {}): TfjsFitCallback {
  const offset = options.stepOffset ?? 0
  return {
    onEpochEnd: async (epoch, logs = {}) => {
      const train: Record<string, number> = {}
      const valid: Record<string, number> = {}
      for (const [key, value] of Object.entries(logs)) {
        if (typeof value !== 'number') continue
        if (key.startsWith('val_')) valid[key.slice(4)] = value
        else train[key] = value
      }
      const step = offset + epoch
      if (Object.keys(train).length > 0) run.log(train, { step, split: 'train' })
      if (Object.keys(valid).length > 0) run.log(valid, { step, split: 'valid' })
    },
    onTrainEnd: async () => {
      if (options.finish) run.finish()
    },
  }
}
