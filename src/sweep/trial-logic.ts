import type { Json } from '../store/types.js'
import type { SweepConfig } from './config.js'
import { Rng, seedFor } from './rng.js'
import { type FlatParams, gridPoint, gridSize, nestParams, sampleRandom } from './space.js'
import { type Observation, sampleTpe } from './tpe.js'

/**
 * The rules of a sweep that do not depend on where its rows live: the local
 * SQLite Sweep and the team server's stores (SQLite and PostgreSQL) read the
 * rows their own way and decide here, so a trial is sampled the same on both.
 */

/** A trial with what samplers, pruners and listings read (the columns of sql/sweeps/trials.sql). */
export interface TrialState {
  number: number
  exp: string
  params: string
  /** the experiment's status as readers see it: LOST already derived by the query (sql/status/derived.sql) */
  status: string
  /** trials.value, else the last value of the metric's series (null: none yet, or NaN) */
  value: number | null
  last_step: number | null
}

/** A trial as listings show it. */
export interface TrialInfo {
  number: number
  exp: string
  /** the experiment's status: TRAINING, COMPLETE, PRUNED, FAILED, KILLED or LOST */
  status: string
  params: Record<string, Json>
  /** the final value, or the metric's last value; null when none yet */
  value: number | null
  /** the deepest step of the metric's series */
  step: number | null
}

/** The best complete trial of a sweep. */
export interface BestTrial {
  exp: string
  number: number
  params: Record<string, Json>
  value: number
}

/** A sweep as `mldb sweep ls/show` and the dashboard show it. */
export interface SweepSummary {
  name: string
  project: string
  method: SweepConfig['method']
  metric: SweepConfig['metric']
  state: string
  runCap: number | null
  trials: number
  running: number
  complete: number
  pruned: number
  failed: number
  best: BestTrial | undefined
  createdAt: number
}

/** What the next claim needs to know, read inside the claim's transaction. */
export interface ClaimState {
  /** the trial number the claim takes (max + 1) */
  number: number
  /** trials counted against run_cap (requeue = 0) */
  counted: number
  /** the next grid point (max grid_index + 1) */
  nextGridIndex: number
  /** the oldest LOST trial waiting to be re-run, when requeue_lost */
  pending: { number: number; params: string; grid_index: number | null } | undefined
  /** every trial; only the bayes sampler reads them, so other methods may pass [] */
  trials: TrialState[]
}

/** The params of the next trial, or null when the sweep has no more to hand out. */
export type TrialPlan = { params: FlatParams; gridIndex: number | null; requeued: number | undefined } | null

export const ACTIVE_TRIAL: ReadonlySet<string> = new Set(['TRAINING', 'VALIDATING'])

/** Lower is better: the value, negated when the goal is maximize; null for none or NaN. */
export function trialLoss(config: SweepConfig, v: number | null): number | null {
  if (v === null || Number.isNaN(v)) return null
  return config.metric.goal === 'minimize' ? v : -v
}

/** What the TPE sampler learns from: complete and pruned trials with a value, running ones as pending. */
export function observations(config: SweepConfig, trials: TrialState[]): Observation[] {
  const out: Observation[] = []
  for (const r of trials) {
    const st = r.status
    const state = st === 'COMPLETE' ? 'complete' : st === 'PRUNED' ? 'pruned' : ACTIVE_TRIAL.has(st) ? 'running' : undefined
    if (!state) continue
    const loss = trialLoss(config, r.value)
    if (state === 'complete' && loss === null) continue
    out.push({ number: r.number, params: JSON.parse(r.params) as FlatParams, state, loss: state === 'running' ? null : loss, step: r.last_step })
  }
  return out
}

/**
 * The next trial's params by the rules of docs/schema.md ("Sweeps"): a LOST
 * trial waiting to be re-run first, then null at the run cap, then the grid's
 * next point, a random draw or TPE (seeded by the sweep's seed and the number).
 */
export function planTrial(config: SweepConfig, s: ClaimState): TrialPlan {
  const pending = config.requeueLost ? s.pending : undefined
  if (!pending && config.runCap !== null && s.counted >= config.runCap) return null
  if (pending) return { params: JSON.parse(pending.params) as FlatParams, gridIndex: pending.grid_index, requeued: pending.number }
  if (config.method === 'grid') {
    if (s.nextGridIndex >= gridSize(config.parameters)) return null
    return { params: gridPoint(config.parameters, s.nextGridIndex), gridIndex: s.nextGridIndex, requeued: undefined }
  }
  const rng = new Rng(seedFor(config.seed, s.number))
  const params = config.method === 'random' ? sampleRandom(config.parameters, rng) : sampleTpe(config.parameters, observations(config, s.trials), rng)
  return { params, gridIndex: null, requeued: undefined }
}

/** The trials as listings show them. */
export function trialInfos(trials: TrialState[]): TrialInfo[] {
  return trials.map((r) => ({
    number: r.number,
    exp: r.exp,
    status: r.status,
    params: nestParams(JSON.parse(r.params) as FlatParams),
    value: r.value,
    step: r.last_step,
  }))
}

/** The best COMPLETE trial by the metric's goal, or undefined. */
export function bestTrial(config: SweepConfig, trials: TrialState[]): BestTrial | undefined {
  let best: TrialState | undefined
  for (const r of trials) {
    if (r.status !== 'COMPLETE' || r.value === null) continue
    if (!best || (trialLoss(config, r.value) as number) < (trialLoss(config, best.value) as number)) best = r
  }
  return best && { exp: best.exp, number: best.number, params: nestParams(JSON.parse(best.params) as FlatParams), value: best.value as number }
}

/** Counts, state and best so far. */
export function summarize(config: SweepConfig, row: { state: string; created_at: number } | undefined, trials: TrialState[]): SweepSummary {
  const count = (f: (s: string) => boolean) => trials.filter((r) => f(r.status)).length
  return {
    name: config.name,
    project: config.project,
    method: config.method,
    metric: config.metric,
    state: row?.state ?? 'DELETED',
    runCap: config.runCap,
    trials: trials.length,
    running: count((s) => ACTIVE_TRIAL.has(s)),
    complete: count((s) => s === 'COMPLETE'),
    pruned: count((s) => s === 'PRUNED'),
    failed: count((s) => s === 'FAILED' || s === 'KILLED' || s === 'LOST'),
    best: bestTrial(config, trials),
    createdAt: row?.created_at ?? 0,
  }
}
