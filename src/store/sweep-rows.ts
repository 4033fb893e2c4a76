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

/** A trial with what samplers, pruners and listings read: its experiment's stored status and its value. */
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

// The series' last point is read from points, not from the summary columns,
// which a writer may bring up to date later than the point itself.
const LAST_POINT = 'FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1'
const TRIALS = `SELECT t.number, t.experiment_id, e.name AS exp, t.params, t.grid_index, t.requeue, e.status, e.heartbeat_at, e.updated_at,
    coalesce(t.value, (SELECT p.value ${LAST_POINT})) AS value, (SELECT p.step ${LAST_POINT}) AS last_step, t.created_at
  FROM trials t JOIN experiments e ON e.id = t.experiment_id
  LEFT JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
  WHERE t.sweep_id = @sweep`

/**
 * The SQL of sweeps and trials (migrations/003-sweeps.sql). The claim rules
 * (docs/schema.md, "Sweeps") are kept by the caller inside one BEGIN IMMEDIATE.
 */
export class SweepRows {
  private readonly stmts: Statements

  constructor(private readonly db: Sqlite) {
    this.stmts = new Statements(db)
  }

  insert(name: string, projectId: number, config: string, now: number): number {
    return (
      this.stmts
        .get('INSERT INTO sweeps (name, project_id, config, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
        .get(name, projectId, config, 'RUNNING', now, now) as { id: number }
    ).id
  }

  byName(name: string): SweepRow | undefined {
    return this.stmts
      .get(
        'SELECT s.id, s.name, p.name AS project, s.config, s.state, s.created_at, s.updated_at FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.name = ?',
      )
      .get(name) as SweepRow | undefined
  }

  all(): SweepRow[] {
    return this.stmts
      .get(
        'SELECT s.id, s.name, p.name AS project, s.config, s.state, s.created_at, s.updated_at FROM sweeps s JOIN projects p ON p.id = s.project_id ORDER BY s.created_at DESC, s.id DESC',
      )
      .all() as SweepRow[]
  }

  setState(id: number, state: string, now: number): number {
    return this.stmts.get('UPDATE sweeps SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id).changes
  }

  /** Every trial of the sweep, by number, with the metric (name, split) as its value. */
  trials(sweepId: number, name: string, split: string): TrialRow[] {
    foldTails(this.db) // a trial's value may be the last of a series logged one call at a time
    return this.stmts.get(`${TRIALS} ORDER BY t.number`).all({ sweep: sweepId, name, split }) as TrialRow[]
  }

  trial(sweepId: number, number: number, name: string, split: string): TrialRow | undefined {
    foldTails(this.db) // a trial's value may be the last of a series logged one call at a time
    return this.stmts.get(`${TRIALS} AND t.number = @number`).get({ sweep: sweepId, name, split, number }) as TrialRow | undefined
  }

  /** The trials counted against run_cap. */
  counted(sweepId: number): number {
    return (this.stmts.get('SELECT count(*) AS n FROM trials WHERE sweep_id = ? AND requeue = 0').get(sweepId) as { n: number }).n
  }

  nextNumber(sweepId: number): number {
    return (this.stmts.get('SELECT coalesce(max(number) + 1, 0) AS n FROM trials WHERE sweep_id = ?').get(sweepId) as { n: number }).n
  }

  nextGridIndex(sweepId: number): number {
    return (this.stmts.get('SELECT coalesce(max(grid_index) + 1, 0) AS n FROM trials WHERE sweep_id = ?').get(sweepId) as { n: number }).n
  }

  /** The oldest LOST trial waiting to be re-run. */
  pendingRequeue(sweepId: number): { number: number; params: string; grid_index: number | null } | undefined {
    return this.stmts.get('SELECT number, params, grid_index FROM trials WHERE sweep_id = ? AND requeue = 1 ORDER BY number LIMIT 1').get(sweepId) as
      | { number: number; params: string; grid_index: number | null }
      | undefined
  }

  /** Trials whose experiment is active but has not beaten since `before`. */
  lost(sweepId: number, before: number): { number: number; experiment_id: number }[] {
    return this.stmts
      .get(
        `SELECT t.number, t.experiment_id FROM trials t JOIN experiments e ON e.id = t.experiment_id
         WHERE t.sweep_id = ? AND e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < ?`,
      )
      .all(sweepId, before) as { number: number; experiment_id: number }[]
  }

  setRequeue(sweepId: number, number: number, requeue: number): void {
    this.stmts.get('UPDATE trials SET requeue = ? WHERE sweep_id = ? AND number = ?').run(requeue, sweepId, number)
  }

  insertTrial(t: { sweepId: number; number: number; experimentId: number; params: string; gridIndex: number | null; now: number }): void {
    this.stmts
      .get('INSERT INTO trials (sweep_id, number, experiment_id, params, grid_index, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(t.sweepId, t.number, t.experimentId, t.params, t.gridIndex, t.now)
  }

  setValue(sweepId: number, number: number, value: number | null): void {
    this.stmts.get('UPDATE trials SET value = ? WHERE sweep_id = ? AND number = ?').run(value, sweepId, number)
  }

  /** The series of an experiment in step order, NaN (NULL) left out. */
  seriesValues(experimentId: number, name: string, split: string): [number, number][] {
    return this.stmts
      .get(
        `SELECT p.step, p.value FROM points p JOIN series s ON s.id = p.series_id
         WHERE s.experiment_id = ? AND s.name = ? AND s.split = ? AND p.value IS NOT NULL ORDER BY p.step, p.seq`,
      )
      .raw()
      .all(experimentId, name, split) as [number, number][]
  }

  /** The values at exactly `step` of the sweep's trials in a status (the last value logged at that step). */
  valuesAt(sweepId: number, name: string, split: string, step: number, status: string): number[] {
    return (
      this.stmts
        .get(
          `SELECT (SELECT p.value FROM points p WHERE p.series_id = s.id AND p.step = @step ORDER BY p.seq DESC LIMIT 1) AS v
           FROM trials t JOIN experiments e ON e.id = t.experiment_id
           JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
           WHERE t.sweep_id = @sweep AND e.status = @status`,
        )
        .raw()
        .all({ sweep: sweepId, name, split, step, status }) as [number | null][]
    )
      .map(([v]) => v)
      .filter((v): v is number => v !== null)
  }

  /** Each other trial's min (or max) value up to `step`, among trials whose series reached `step`. */
  bestUpTo(sweepId: number, name: string, split: string, step: number, except: number, mode: 'min' | 'max'): number[] {
    return (
      this.stmts
        .get(
          `SELECT ${mode}(p.value) FROM trials t
           JOIN series s ON s.experiment_id = t.experiment_id AND s.name = @name AND s.split = @split
           JOIN points p ON p.series_id = s.id AND p.step <= @step
           WHERE t.sweep_id = @sweep AND t.number <> @except
             AND EXISTS (SELECT 1 FROM points q WHERE q.series_id = s.id AND q.step >= @step)
           GROUP BY s.id`,
        )
        .raw()
        .all({ sweep: sweepId, name, split, step, except }) as [number | null][]
    )
      .map(([v]) => v)
      .filter((v): v is number => v !== null)
  }
}
