import { hostname } from 'node:os'
import type { Database } from '../api/database.js'
import { describe } from '../api/validate.js'
import { checkJsonText } from '../api/validate-text.js'
import { MldbError, NotFoundError, ValidationError } from '../errors.js'
import { parseSeriesKey } from '../query/filter.js'
import { withBusyRetry } from '../store/connection.js'
import { ExperimentRows } from '../store/experiment-rows.js'
import { ParamRows } from '../store/param-rows.js'
import { LOST_NOTE, SweepRows, type TrialRow } from '../store/sweep-rows.js'
import type { Json } from '../store/types.js'
import { parseSweepConfig, type SweepConfig } from './config.js'
import { shouldPrune } from './pruners.js'
import { type FlatParams, nestParams } from './space.js'
import { type BestTrial, bestTrial, planTrial, type SweepSummary, summarize, type TrialInfo, trialInfos } from './trial-logic.js'

export type { BestTrial, SweepSummary, TrialInfo } from './trial-logic.js'

/** Who claims a trial: this process (the default), or a remote agent through the team server. */
export interface TrialOrigin {
  host: string
  pid: number
  /** extra tags of the trial's experiment (mldb.uuid: the identity the agent's own copy syncs under) */
  tags?: Record<string, string>
}

/**
 * A hyperparameter search whose trials are ordinary experiments (tagged
 * `mldb.sweep` and `mldb.trial`). Any number of processes may ask() for trials
 * of the same sweep at once: each claim is one BEGIN IMMEDIATE transaction.
 *
 * @example
 * const sweep = db.createSweep({ name: 'branin', method: 'bayes', metric: { name: 'objective' },
 *   parameters: { x: { min: -5, max: 10 }, y: { min: 0, max: 15 } }, runCap: 100, seed: 1 })
 * for (let t = sweep.ask(); t; t = sweep.ask()) t.finish(branin(t.params.x, t.params.y))
 * sweep.best()
 */
export class Sweep {
  readonly name: string
  readonly project: string
  readonly config: SweepConfig
  /** the metric's series as (name, split) */
  readonly series: { name: string; split: string }
  private readonly rows: SweepRows
  private readonly exps: ExperimentRows
  private readonly paramRows: ParamRows
  private readonly claimTx: { immediate: (origin: TrialOrigin) => { number: number; exp: string; params: FlatParams } | null }

  /** @internal use db.createSweep() or db.getSweep() */
  constructor(
    readonly db: Database,
    readonly id: number,
    config: SweepConfig,
  ) {
    this.config = config
    this.name = config.name
    this.project = config.project
    this.series = parseSeriesKey(config.metric.name)
    this.rows = new SweepRows(db.sqlite)
    this.exps = new ExperimentRows(db.sqlite)
    this.paramRows = new ParamRows(db.sqlite)
    this.claimTx = db.sqlite.transaction((origin: TrialOrigin) => this.claim(origin))
  }

  /** The trials with the experiment's status (LOST derived at `now`) and the metric's value. */
  private trialRows(now = Date.now()): TrialRow[] {
    return this.rows.trials(this.id, this.series.name, this.series.split, now)
  }

  /** Inside BEGIN IMMEDIATE: the rules of docs/schema.md, "Sweeps". */
  private claim(origin: TrialOrigin): { number: number; exp: string; params: FlatParams } | null {
    const row = this.rows.byName(this.name)
    if (!row) throw new NotFoundError(`the sweep "${this.name}" was deleted`, 'sweep', this.name)
    if (row.state !== 'RUNNING') return null
    const now = Date.now()
    for (const lost of this.rows.lost(this.id, now)) {
      this.exps.setStatus(lost.experiment_id, 'FAILED', now, false, true)
      this.rows.addNote(lost.experiment_id, LOST_NOTE, now)
      if (this.config.requeueLost) this.rows.setRequeue(this.id, lost.number, 1)
    }
    const { number, counted, grid } = this.rows.claimState(this.id)
    const plan = planTrial(this.config, {
      number,
      counted,
      nextGridIndex: grid,
      pending: this.config.requeueLost ? this.rows.pendingRequeue(this.id) : undefined,
      trials: this.config.method === 'bayes' ? this.trialRows(now) : [],
    })
    if (!plan) return null
    if (plan.requeued !== undefined) this.rows.setRequeue(this.id, plan.requeued, 2)
    const { params, gridIndex } = plan
    let exp = `${this.name}-${number}`
    if (this.exps.anyId(exp) !== undefined) exp = `${exp}-${Math.random().toString(36).slice(2, 8)}`
    const expId = this.exps.insert({
      name: exp,
      projectId: this.exps.projectId(this.project, now),
      status: 'TRAINING',
      now,
      startedAt: now,
      endedAt: null,
      host: origin.host,
      pid: origin.pid,
    })
    for (const [k, v] of Object.entries(nestParams(params))) this.paramRows.addParam(expId, k, JSON.stringify(v))
    this.paramRows.setTag(expId, 'mldb.sweep', this.name)
    this.paramRows.setTag(expId, 'mldb.trial', String(number))
    for (const [k, v] of Object.entries(origin.tags ?? {})) this.paramRows.setTag(expId, k, v)
    this.rows.insertTrial({ sweepId: this.id, number, experimentId: expId, params: JSON.stringify(params), gridIndex, now })
    return { number, exp, params }
  }

  /**
   * @internal the team server's claim for a remote agent: the same rules, the
   * experiment recorded with the agent's host and pid. Joins the caller's transaction.
   */
  claimFor(origin: TrialOrigin): { number: number; exp: string; params: Record<string, Json> } | null {
    const got = this.claimTx.immediate(origin)
    return got && { number: got.number, exp: got.exp, params: nestParams(got.params) }
  }

  /**
   * Claims the next trial: a new experiment (TRAINING) with sampled params, or
   * null when the run cap is reached, the grid is done or the sweep is stopped.
   * Report at least once a minute (or heartbeat) or the trial reads LOST.
   *
   * @example const trial = sweep.ask(); if (trial) trial.finish(train(trial.params))
   */
  ask(): Trial | null {
    if (this.db.isClosed) throw new MldbError(`the database ${this.db.path} is closed; open a new Database`)
    const got = withBusyRetry(() => this.claimTx.immediate({ host: hostname(), pid: process.pid }))
    if (!got) return null
    return new Trial(this, got.number, got.exp, nestParams(got.params))
  }

  /** Every trial, by number. */
  trials(): TrialInfo[] {
    return trialInfos(this.trialRows())
  }

  /** The best COMPLETE trial by the metric's goal, or undefined. */
  best(): BestTrial | undefined {
    return bestTrial(this.config, this.trialRows())
  }

  /** Counts, state and best so far. */
  summary(): SweepSummary {
    return summarize(this.config, this.rows.byName(this.name), this.trialRows())
  }

  /** Stops handing out trials (running ones go on). */
  stop(): void {
    withBusyRetry(() => this.rows.setState(this.id, 'STOPPED', Date.now()))
  }

  /**
   * Optuna-style loop: asks up to nTrials trials (fewer when the sweep ends),
   * calls objective, and finishes each with its return value. An objective
   * that calls trial.prune() ends its trial PRUNED; one that throws marks it
   * FAILED and the error goes on.
   *
   * @example sweep.optimize((t) => branin(t.params.x as number, t.params.y as number), 100)
   */
  optimize(objective: (trial: Trial) => number | undefined, nTrials?: number): void {
    for (let i = 0; nTrials === undefined || i < nTrials; i++) {
      const trial = this.ask()
      if (!trial) return
      let value: number | undefined
      try {
        value = objective(trial)
      } catch (e) {
        if (!trial.ended) trial.fail(e)
        throw e
      }
      if (!trial.ended) trial.finish(value)
    }
  }

  /** @internal what the pruners read */
  pruneDecision(trial: Trial): boolean {
    const spec = this.config.earlyTerminate
    if (!spec) return false
    const { name, split } = this.series
    const expId = (this.rows.trialExperiment(this.id, trial.number) as { id: number }).id
    const goal = this.config.metric.goal
    return shouldPrune(spec, {
      goal,
      own: this.rows.seriesValues(expId, name, split),
      completed: () => this.trialRows().filter((r) => r.status === 'COMPLETE').length,
      valuesAt: (step) => this.rows.valuesAt(this.id, name, split, step, 'COMPLETE'),
      bestUpTo: (step) => this.rows.bestUpTo(this.id, name, split, step, trial.number, goal === 'minimize' ? 'min' : 'max'),
    })
  }

  /** @internal sets the trial's value and its experiment's status together */
  end(trial: Trial, status: string, value: number | null | undefined, note?: string): void {
    const tx = this.db.sqlite.transaction(() => {
      if (value !== undefined) this.rows.setValue(this.id, trial.number, value === null || Number.isNaN(value) ? null : value)
      if (note) {
        const old = this.db.getNotes(trial.exp)
        this.db.setNotes(trial.exp, old ? `${old}\n${note}` : note)
      }
      this.db.setExpStatus(trial.exp, status)
    })
    withBusyRetry(() => tx.immediate())
  }
}

/**
 * One claimed trial: an experiment named `<sweep>-<number>` with its params.
 *
 * @example
 * trial.report(epoch, validLoss)
 * if (trial.shouldPrune()) trial.prune()
 * else trial.finish(validLoss)
 */
export class Trial {
  /** @internal */
  ended = false

  /** @internal made by sweep.ask() */
  constructor(
    readonly sweep: Sweep,
    /** 0, 1, 2, ... unique in the sweep */
    readonly number: number,
    /** the experiment's name */
    readonly exp: string,
    /** the sampled params (nested parameters as objects) */
    readonly params: Record<string, Json>,
  ) {}

  private live(what: string): void {
    if (this.ended) throw new ValidationError(`trial ${this.number} of sweep "${this.sweep.name}" has ended; ${what} needs a new trial from ask()`, 'trial')
  }

  /** A point of the metric's series at `step`, like addMetricValue. */
  report(step: number, value: number): void {
    this.live('report')
    const { name, split } = this.sweep.series
    this.sweep.db.addMetricValue(this.exp, name, step, value, { split })
  }

  /** Whether the sweep's pruner says stop now (false without a pruner). */
  shouldPrune(): boolean {
    return this.sweep.pruneDecision(this)
  }

  /** Ends the trial PRUNED; the sampler reads its value at its deepest step. */
  prune(): void {
    this.live('prune')
    this.ended = true
    this.sweep.end(this, 'PRUNED', undefined)
  }

  /** Ends the trial COMPLETE with its final value (default: the metric's last reported value). */
  finish(value?: number): void {
    this.live('finish')
    if (value !== undefined && typeof value !== 'number')
      throw new ValidationError(`finish takes the trial's value as a number, got ${describe(value)}`, 'value')
    this.ended = true
    this.sweep.end(this, 'COMPLETE', value)
  }

  /** Ends the trial FAILED, keeping the error in the experiment's notes. */
  fail(error?: unknown): void {
    this.live('fail')
    this.ended = true
    const note = error === undefined ? undefined : error instanceof Error ? (error.stack ?? error.message) : String(error)
    this.sweep.end(this, 'FAILED', undefined, note)
  }
}

/**
 * Creates a sweep from a config object (W&B's format, or camelCase keys).
 * @internal reached through db.createSweep()
 */
export function createSweep(db: Database, raw: unknown): Sweep {
  const config = parseSweepConfig(raw)
  // its name and params become trials' experiment names and params: no NUL or lone surrogate (docs/schema.md, "Limits")
  checkJsonText('sweep config', 'config', config)
  const rows = new SweepRows(db.sqlite)
  const exps = new ExperimentRows(db.sqlite)
  const tx = db.sqlite.transaction(() => {
    if (rows.byName(config.name))
      throw new ValidationError(`a sweep named "${config.name}" already exists; reopen it with getSweep or pick another name`, 'name')
    const now = Date.now()
    return rows.insert(config.name, exps.projectId(config.project, now), JSON.stringify(config), now)
  })
  return new Sweep(
    db,
    withBusyRetry(() => tx.immediate()),
    config,
  )
}

/** @internal reached through db.getSweep() */
export function getSweep(db: Database, name: string): Sweep {
  if (typeof name !== 'string') throw new ValidationError(`a sweep name must be a string, got ${describe(name)}`, 'name')
  const row = new SweepRows(db.sqlite).byName(name)
  if (!row) throw new NotFoundError(`no sweep named "${name}" in ${db.path}; see the sweeps with \`mldb sweep ls\``, 'sweep', name)
  return new Sweep(db, row.id, JSON.parse(row.config) as SweepConfig)
}

/** @internal reached through db.listSweeps() */
export function listSweeps(db: Database): SweepSummary[] {
  return new SweepRows(db.sqlite).all().map((r) => new Sweep(db, r.id, JSON.parse(r.config) as SweepConfig).summary())
}
