import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'
import { Statements } from './statements.js'

/**
 * The SQL of the `params` and `tags` rows (sql/params/). Values are stored as text: params
 * as JSON (written once per key), tags as plain strings (overwritten freely).
 */
export class ParamRows {
  private readonly stmts: Statements

  constructor(db: Sqlite) {
    this.stmts = new Statements(db)
  }

  /** The stored JSON text of one param, if it is set. */
  param(experimentId: number, key: string): string | undefined {
    return (this.stmts.get(sql('params/value')).get(experimentId, key) as { value: string } | undefined)?.value
  }

  /**
   * Whether two param values (JSON texts) are the same value, so setting it again is a
   * no-op: parsed and compared by sql/params/same-value.sql, the one rule both clients
   * run (key order ignored, numbers by numeric value; docs/schema.md, "params and tags").
   */
  sameValue(old: string, json: string): boolean {
    return old === json || (this.stmts.get(sql('params/same-value')).pluck().get({ old, new: json }) as number) === 1
  }

  /** Adds a param; a key that is already set keeps its value. */
  addParam(experimentId: number, key: string, json: string): void {
    this.stmts.get(sql('params/insert')).run(experimentId, key, json)
  }

  /** Every param as [key, JSON text], by key. */
  params(experimentId: number): [string, string][] {
    return this.stmts.get(sql('params/all')).raw().all(experimentId) as [string, string][]
  }

  /** Sets a tag, replacing its value when the key is already set. */
  setTag(experimentId: number, key: string, value: string): void {
    this.stmts.get(sql('params/set-tag')).run(experimentId, key, value)
  }

  /** Every tag as [key, value], by key. */
  tags(experimentId: number): [string, string][] {
    return this.stmts.get(sql('params/tags')).raw().all(experimentId) as [string, string][]
  }
}
