import { type SqlDialect, sql } from '../named-sql.js'
import { bindNow } from '../query/filter.js'

/** The SQL a listing statement of sql/listing/ leaves to the client (docs/schema.md, "Named SQL"). */
export interface ListingSlots {
  /** the conditions, joined with AND */
  where: string
  /** the ORDER BY list */
  order?: string
}

/**
 * A named listing statement with its slots filled: `@where` and `@order` with what
 * the caller compiled, then `@now` with the clock. One pass over the file's text,
 * so nothing a slot brings in is read as a slot.
 *
 * @example db.prepare(listingSql('listing/count', { where: 'e.deleted_at IS NULL' }, Date.now())).get()
 */
export function listingSql(name: string, slots: ListingSlots, now: number, dialect: SqlDialect = 'sqlite'): string {
  const filled = sql(name, dialect).replace(/@(where|order)\b/g, (_m, slot: 'where' | 'order') => {
    const text = slots[slot]
    if (text === undefined) throw new Error(`mldb: ${name} needs @${slot}`)
    return text
  })
  return bindNow(filled, now)
}
