import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import type { SeriesRow } from './experiments.js'
import { foldTails } from './points.js'
import { Statements } from './statements.js'

/**
 * The SQL of `series` rows and of reading their points back (sql/series/). Writing points
 * is PointWriter's (points.ts), which keeps the series summaries in step.
 */
export class SeriesRows {
  private readonly stmts: Statements

  constructor(private readonly db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** The id of the series, created when new. */
  ensure(experimentId: number, name: string, split: string): number {
    this.stmts.get(sql('series/ensure')).run(experimentId, name, split)
    const row = this.stmts.get(sql('series/id')).get(experimentId, name, split) as { id: number }
    return row.id
  }

  /** The id of the series, if the experiment has it. */
  find(experimentId: number, name: string, split: string): number | undefined {
    const row = this.stmts.get(sql('series/id')).get(experimentId, name, split) as { id: number } | undefined
    return row?.id
  }

  /** Points past `afterStep` as [step, time, value] (NaN reads as null), in step order; a negative limit means all. */
  points(seriesId: number, afterStep: number, limit: number): [number, number, number | null][] {
    return this.stmts.get(sql('series/points')).raw().all(seriesId, afterStep, limit) as [number, number, number | null][]
  }

  /** The summary rows of every series of the experiment, by split and name. */
  summaries(experimentId: number): SeriesRow[] {
    foldTails(this.db)
    return this.stmts.get(sql('series/summaries')).raw().all(experimentId) as SeriesRow[]
  }
}
