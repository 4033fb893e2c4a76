import { sql } from '../named-sql.js'
import { bindNow } from '../query/filter.js'
import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'
import type { StatusChange } from './types.js'

/** A new experiment row; created, updated and heartbeat times are all `now`. */
export interface NewExperiment {
  name: string
  projectId: number
  status: string
  now: number
  startedAt: number | null
  endedAt: number | null
  host: string
  pid: number
}

/**
 * The SQL of the `experiments`, `projects` and `status_history` rows: create,
 * status, heartbeat, notes, trash, restore and purge; the write path's statements
 * are sql/experiments/, shared with the Python client. Updates by id return how
 * many rows changed, so the caller can tell a stale cached id (0) from success.
 */
export class ExperimentRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** The id of the project, created when new. */
  projectId(project: string, now: number): number {
    this.stmts.get(sql('experiments/project-ensure')).run(project, now)
    return (this.stmts.get(sql('experiments/project-id')).get(project) as { id: number }).id
  }

  /** The experiment of that name, live or in the trash. */
  byName(name: string): { id: number; deleted_at: number | null } | undefined {
    return this.stmts.get(sql('experiments/by-name')).get(name) as { id: number; deleted_at: number | null } | undefined
  }

  /** The id of the experiment of that name, live or in the trash. */
  anyId(name: string): number | undefined {
    return (this.stmts.get(sql('experiments/by-name')).get(name) as { id: number } | undefined)?.id
  }

  /** The id of the live (not trashed) experiment of that name. */
  liveId(name: string): number | undefined {
    return (this.stmts.get(sql('experiments/live-id')).get(name) as { id: number } | undefined)?.id
  }

  /** Inserts a new experiment; returns its id. */
  insert(e: NewExperiment): number {
    const { lastInsertRowid } = this.stmts.get(sql('experiments/insert')).run({
      name: e.name,
      project_id: e.projectId,
      status: e.status,
      now: e.now,
      started_at: e.startedAt,
      ended_at: e.endedAt,
      host: e.host,
      pid: e.pid,
    })
    return Number(lastInsertRowid)
  }

  /**
   * Sets the stored status (the status_history trigger records the change).
   * An active status sets started_at once; a final one sets ended_at, any other clears it.
   */
  setStatus(id: number, status: string, now: number, active: boolean, final: boolean): number {
    return this.stmts.get(sql('experiments/set-status')).run({ status, now, id, active: active ? 1 : 0, final: final ? 1 : 0 }).changes
  }

  /** The status as readers see it: LOST when an active experiment's heartbeat is over a minute old at `now`. */
  derivedStatus(id: number, now: number): string {
    // Not cached: bindNow writes `now` into the SQL text, so each call is a new statement.
    return (this.stmts.db.prepare(bindNow(sql('status/of-experiment'), now)).get(id) as { status: string }).status
  }

  /** Every status the experiment had, oldest first. */
  statusHistory(id: number): StatusChange[] {
    return this.stmts.get(sql('experiments/status-history')).all(id) as StatusChange[]
  }

  /** Sets the heartbeat of a live experiment found by name. */
  heartbeatByName(name: string, now: number): number {
    return this.stmts.get(sql('experiments/heartbeat-by-name')).run({ now, name }).changes
  }

  /** Sets the heartbeat. */
  heartbeat(id: number, now: number): number {
    return this.stmts.get(sql('experiments/heartbeat')).run({ now, id }).changes
  }

  /** Sets the heartbeat and updated_at: logging is a sign of life and a change. */
  heartbeatAndTouch(id: number, now: number): number {
    return this.stmts.get(sql('experiments/heartbeat-and-touch')).run({ now, id }).changes
  }

  /** Sets updated_at, which tells live dashboards (/api/changes) that something changed. */
  touch(id: number, now: number): number {
    return this.stmts.get(sql('experiments/touch')).run({ now, id }).changes
  }

  /** Records the host and process that own the experiment. */
  setOwner(id: number, host: string, pid: number): number {
    return this.stmts.get(sql('experiments/set-owner')).run({ host, pid, id }).changes
  }

  /** Replaces the notes. */
  setNotes(id: number, notes: string, now: number): number {
    return this.stmts.get(sql('experiments/set-notes')).run({ notes, now, id }).changes
  }

  /** The notes ('' when none). */
  notes(id: number): string {
    return (this.stmts.get(sql('experiments/notes')).get(id) as { notes: string }).notes
  }

  /** Moves the experiment to the trash. */
  trash(id: number, now: number): number {
    return this.stmts.get('UPDATE experiments SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id).changes
  }

  /** Brings a trashed experiment back by name; 0 when none of that name is in the trash. */
  restore(name: string, now: number): number {
    return this.stmts.get('UPDATE experiments SET deleted_at = NULL, updated_at = ? WHERE name = ? AND deleted_at IS NOT NULL').run(now, name).changes
  }

  /**
   * Deletes the experiment for good. Points and blocks go first by hand; the
   * experiment's other rows (series, params, tags, history, files) follow by cascade.
   */
  purge(id: number): void {
    this.stmts.get('DELETE FROM points WHERE series_id IN (SELECT id FROM series WHERE experiment_id = ?)').run(id)
    this.stmts.get('DELETE FROM point_blocks WHERE series_id IN (SELECT id FROM series WHERE experiment_id = ?)').run(id)
    this.stmts.get('DELETE FROM experiments WHERE id = ?').run(id)
  }
}
