import type { Statement } from 'better-sqlite3'
import { prepareAllowingDoubleQuotedStrings } from '../store/double-quoted-strings.js'
import type { Database } from './database.js'

/**
 * Prepares a user's raw SQL on the database's connection the way `db.query`
 * does: the seed's double-quoted strings (`STATUS="COMPLETE"`) are accepted
 * wherever the quoted word names no column. For `mldb sql`, which needs the
 * statement itself (is it read-only? its columns?).
 *
 * @example prepareRawSql(db, 'SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE"').all()
 */
export function prepareRawSql(db: Database, sql: string): Statement {
  return prepareAllowingDoubleQuotedStrings(sql, (s) => db.sqlite.prepare(s))
}
