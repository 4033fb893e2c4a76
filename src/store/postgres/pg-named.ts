import { sql } from '../../named-sql.js'
import { bindNow } from '../../query/status.js'

/** A statement as node-postgres takes it. */
export interface PgQuery {
  text: string
  values: unknown[]
}

/**
 * A named statement of sql/ run on PostgreSQL: `sql/pg/<name>.sql` where the
 * dialect differs, else the shared file. `@now` (also inside an included
 * `{status/derived}`) becomes the clock's integer, as bindNow writes it; each
 * other `@name` becomes `$n`, bound from `values`. So the team server runs the
 * same text the two SQLite clients run (docs/schema.md, "Named SQL").
 *
 * @example await c.query(pgNamed('registry/models', { name: 'iris' }))
 */
export function pgNamed(name: string, values: Record<string, unknown>, suffix = ''): PgQuery {
  let text = sql(name, 'postgres') + suffix
  if (typeof values.now === 'number') text = bindNow(text, values.now)
  const order: string[] = []
  text = text.replace(/@([a-z_][a-z0-9_]*)/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`mldb: named SQL "${name}" needs @${key}`)
    let i = order.indexOf(key)
    if (i < 0) i = order.push(key) - 1
    return `$${i + 1}`
  })
  return { text, values: order.map((k) => values[k]) }
}
