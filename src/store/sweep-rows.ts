import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import { foldTails } from './points.js'
import { Statements } from './statements.js'

/** A sweeps row. */
export interface SweepRow {
  id: number
  name: string
  project: string
  config: string
  state: string
  created_at: number
  updated_at: number
}

/** A trial with what samplers, pruners and listings read: its experiment's status as readers see it (LOST derived) and its value. */
export interface TrialRow {
  number: number
  experiment_id: number
  exp: string
  params: string
  grid_index: number | null
  requeue: number
  status: string
  heartbeat_at: number | null
  updated_at: number
  /** trials.value, else the last value of the metric's series (NULL: none yet, or NaN) */
  value: number | null
  last_step: number | null
  created_at: number
}

/** The line a claim adds below the notes of a trial that went LOST (sql/sweeps/add-note.sql; python/mldb/sweep.py _LOST_NOTE). */
export const LOST_NOTE = 'LOST: its worker stopped beating; marked FAILED by the sweep'

/**
 * Sweeps and trials (migrations/003-sweeps.sql), through the named SQL of
 * sql/sweeps/ (shared with the Python client). The claim rules (docs/schema.md,
 * "Sweeps") are kept by the caller inside one BEGIN IMMEDIATE.
 */
export class SweepRows {
  private readonly stmts: Statements

  constructor(private readonly db: Sqlite) {
    this.stmts = new Statements(db)
  }

  insert(name: string, projectId: number, config: string, now: number): number {
    return (this.stmts.get(sql('sweeps/insert')).get({ name, project_id: projectId, config, now }) as { id: number }).id
  }

  byName(name: string): SweepRow | undefined {
    return this.stmts.get(sql('sweeps/rows')).get({ name }) as SweepRow | undefined
  }

  all(): SweepRow[] {
    return this.stmts.get(sql('sweeps/rows')).all({ name: null }) as SweepRow[]
  }

  setState(id: number, state: string, now: number): number {
    return this.stmts.get(sql('sweeps/set-state')).run({ state, now, id }).changes
  }

  /** Every trial of the sweep, by number, with the metric (name, split) as its value and LOST derived at `now`. */
  trials(sweepId: number, name: string, split: string, now: number): TrialRow[] {
    foldTails(this.db) // a trial's value may be the last of a series logged one call at a time
    return this.stmts.get(sql('sweeps/trials')).all({ sweep: sweepId, name, split, now }) as TrialRow[]
  }

  /** The next trial number, the trials counted against run_cap and the next grid index. */
  claimState(sweepId: number): { number: number; counted: number; grid: number } {
    return this.stmts.get(sql('sweeps/claim-state')).get({ sweep: sweepId }) as { number: number; counted: number; grid: number }
  }

  /** The oldest LOST trial waiting to be re-run. */
  pendingRequeue(sweepId: number): { number: number; params: string; grid_index: number | null } | undefined {
    return this.stmts.get(sql('sweeps/pending-requeue')).get({ sweep: sweepId }) as { number: number; params: string; grid_index: number | null } | undefined
  }

  /** Trials whose experiment reads LOST at `now` (sql/status/derived.sql). */
  lost(sweepId: number, now: number): { number: number; experiment_id: number }[] {
    return this.stmts.get(sql('sweeps/lost')).all({ sweep: sweepId, now }) as { number: number; experiment_id: number }[]
  }

  /** Adds a line below the experiment's notes (sweeps/add-note): what the trial wrote stays. */
  addNote(experimentId: number, note: string, now: number): void {
    this.stmts.get(sql('sweeps/add-note')).run({ note, now, id: experimentId })
  }

  setRequeue(sweepId: number, number: number, requeue: number): void {
    this.stmts.get(sql('sweeps/set-requeue')).run({ requeue, sweep: sweepId, number })
  }

  insertTrial(t: { sweepId: number; number: number; experimentId: number; params: string; gridIndex: number | null; now: number }): void {
    this.stmts
      .get(sql('sweeps/trial-insert'))
      .run({ sweep: t.sweepId, number: t.number, experiment_id: t.experimentId, params: t.params, grid_index: t.gridIndex, now: t.now })
  }

  setValue(sweepId: number, number: number, value: number | null): void {
    this.stmts.get(sql('sweeps/set-value')).run({ value, sweep: sweepId, number })
  }

  /** The experiment of a trial. */
  trialExperiment(sweepId: number, number: number): { id: number; name: string } | undefined {
    return this.stmts.get(sql('sweeps/trial-experiment')).get({ sweep: sweepId, number }) as { id: number; name: string } | undefined
  }

  /** The trial a remote agent claimed, by its experiment's mldb.uuid tag. */
  byUuid(sweepId: number, uuid: string): { number: number; exp: string; params: string } | undefined {
    return this.stmts.get(sql('sweeps/by-uuid')).get({ sweep: sweepId, uuid }) as { number: number; exp: string; params: string } | undefined
  }

  /** The series of an experiment in step order, NaN (NULL) left out. */
  seriesValues(experimentId: number, name: string, split: string): [number, number][] {
    return this.stmts.get(sql('sweeps/series-values')).raw().all({ experiment_id: experimentId, name, split }) as [number, number][]
  }

  /** The values at exactly `step` of the sweep's trials in a status (the last value logged at that step). */
  valuesAt(sweepId: number, name: string, split: string, step: number, status: string): number[] {
    return (this.stmts.get(sql('sweeps/values-at')).raw().all({ sweep: sweepId, name, split, step, status }) as [number | null][])
      .map(([v]) => v)
      .filter((v): v is number => v !== null)
  }

  /** Each other trial's min (or max) value up to `step`, among trials whose series reached `step`. */
  bestUpTo(sweepId: number, name: string, split: string, step: number, except: number, mode: 'min' | 'max'): number[] {
    return (
      this.stmts
        .get(sql('sweeps/best-up-to'))
        .raw()
        .all({ sweep: sweepId, name, split, step, except, max: mode === 'max' ? 1 : 0 }) as [number | null][]
    )
      .map(([v]) => v)
      .filter((v): v is number => v !== null)
  }
}
