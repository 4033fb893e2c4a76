import type { Sqlite } from './connection.js'
import type { SeriesRow } from './experiments.js'
import { foldTails } from './points.js'
import { Statements } from './statements.js'

/**
 * The SQL of `series` rows and of reading their points back. Writing points
 * is PointWriter's (points.ts), which keeps the series summaries in step.
 */
export class SeriesRows {
  private readonly stmts: Statements

  constructor(private readonly db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** The id of the series, created when new. */
  ensure(experimentId: number, name: string, split: string): number {
    this.stmts.get('INSERT OR IGNORE INTO series (experiment_id, name, split) VALUES (?, ?, ?)').run(experimentId, name, split)
    const row = this.stmts.get('SELECT id FROM series WHERE experiment_id = ? AND name = ? AND split = ?').get(experimentId, name, split) as { id: number }
    return row.id
  }

  /** The id of the series, if the experiment has it. */
  find(experimentId: number, name: string, split: string): number | undefined {
    const row = this.stmts.get('SELECT id FROM series WHERE experiment_id = ? AND name = ? AND split = ?').get(experimentId, name, split) as
      | { id: number }
      | undefined
    return row?.id
  }

  /** Points past `afterStep` as [step, time, value] (NaN reads as null), in step order; a negative limit means all. */
  points(seriesId: number, afterStep: number, limit: number): [number, number, number | null][] {
    return this.stmts
      .get('SELECT step, time, value FROM points WHERE series_id = ? AND step > ? ORDER BY step, seq LIMIT ?')
      .raw()
      .all(seriesId, afterStep, limit) as [number, number, number | null][]
  }

  /** The summary rows of every series of the experiment, by split and name. */
  summaries(experimentId: number): SeriesRow[] {
    foldTails(this.db)
    return this.stmts
      .get(
        'SELECT name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count FROM series WHERE experiment_id = ? ORDER BY split, name',
      )
      .raw()
      .all(experimentId) as SeriesRow[]
  }
}
