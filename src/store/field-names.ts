import type { Statement } from 'better-sqlite3'
import { sql } from '../named-sql.js'
import type { NameLookup } from '../query/filter.js'
import type { Sqlite } from './connection.js'

/**
 * What the file holds under a short filter name (`lr`, `valid/loss`): a param
 * key or a series of any experiment, trashed ones included, so a filter means
 * the same whichever listing it serves. Statements are prepared on first use:
 * most filters have no short names.
 *
 * @example compileFilter('lr < 0.1', fieldNames(db))
 */
export function fieldNames(db: Sqlite): NameLookup {
  let param: Statement | undefined
  let series: Statement | undefined
  return (key) => {
    param ??= db.prepare(sql('listing/has-param')).pluck()
    series ??= db.prepare(sql('listing/has-series')).pluck()
    const slash = key.indexOf('/')
    const [split, name] = slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)]
    return { param: param.get(key) !== undefined, series: series.get(name, split) !== undefined }
  }
}
