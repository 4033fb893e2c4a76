import type { PrunerSpec } from './config.js'

/** A point of a series: (step, value); NaN values are left out by the caller. */
export type StepValue = readonly [step: number, value: number]

/** What a pruner needs to read from the database, asked lazily. */
export interface PruneContext {
  goal: 'minimize' | 'maximize'
  /** the trial's own series of the metric, in step order */
  own: StepValue[]
  /** how many trials of the sweep are COMPLETE */
  completed: () => number
  /** the values at exactly `step` of the sweep's COMPLETE trials (median), or of every other trial that reached it (hyperband) */
  valuesAt: (step: number, which: 'complete' | 'others') => number[]
  /** for hyperband: each other trial's best value up to `step`, among trials that reached it */
  bestUpTo: (step: number) => number[]
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/**
 * Whether the trial should stop now.
 *
 * median (Optuna's MedianPruner): after n_startup_trials complete trials and
 * n_warmup_steps, prune when the best value so far is worse than the median of
 * the complete trials' values at the same step.
 *
 * hyperband (W&B's early_terminate): at each bracket step min_iter * eta^k the
 * trial has reached, it must be within the best 1/eta of the trials that
 * reached that step (its best value up to it), else it is pruned.
 *
 * @example shouldPrune({ type: 'median', nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1 }, ctx)
 */
export function shouldPrune(spec: PrunerSpec | null, ctx: PruneContext): boolean {
  if (!spec || ctx.own.length === 0) return false
  const better = (a: number, b: number) => (ctx.goal === 'minimize' ? a < b : a > b)
  const last = ctx.own[ctx.own.length - 1]!
  const step = last[0]
  if (spec.type === 'median') {
    if (step < spec.nWarmupSteps) return false
    if ((step - spec.nWarmupSteps) % spec.intervalSteps !== 0) return false
    if (ctx.completed() < spec.nStartupTrials) return false
    const others = ctx.valuesAt(step, 'complete')
    if (others.length === 0 || others.length < spec.nStartupTrials) return false
    let best = ctx.own[0]![1]
    for (const [, v] of ctx.own) if (better(v, best)) best = v
    return better(median(others), best)
  }
  // hyperband: the highest bracket the trial has reached decides.
  let bracket = -1
  for (let b = spec.minIter; b <= step; b *= spec.eta) bracket = b
  if (bracket < 0) return false
  const mine = ctx.own.filter(([s]) => s <= bracket).map(([, v]) => v)
  if (mine.length === 0) return false
  const myBest = mine.reduce((a, b) => (better(b, a) ? b : a))
  const others = ctx.bestUpTo(bracket)
  const all = [...others, myBest].sort((a, b) => (ctx.goal === 'minimize' ? a - b : b - a))
  if (all.length < spec.eta) return false
  const keep = Math.max(1, Math.floor(all.length / spec.eta))
  const threshold = all[keep - 1]!
  return better(threshold, myBest)
}
