import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from '../../src/named-sql.js'
import { listingSql } from '../../src/store/listing-sql.js'
import { loadPgMigrations } from '../../src/store/postgres/pg-migrations.js'
import { pgNamed } from '../../src/store/postgres/pg-named.js'
import { startPostgres } from '../helpers/postgres.js'

const pgRoot = resolve(import.meta.dirname, '../../sql/pg')

/** Values for every @name of a statement, the clock 0: PREPARE needs the text only. */
const ANY_VALUES: Record<string, unknown> = new Proxy({}, { has: () => true, get: (_t, key) => (key === 'now' ? 0 : null) })

function pgNames(dir = pgRoot): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = join(dir, f)
    if (statSync(full).isDirectory()) return pgNames(full)
    return f.endsWith('.sql') ? [relative(pgRoot, full).slice(0, -4)] : []
  })
}

describe('named SQL for PostgreSQL (sql/pg/)', () => {
  const server = startPostgres()
  afterAll(() => server?.stop())

  it.skipIf(!server)("gives each name its own text, which PostgreSQL prepares against the team server's schema", () => {
    const pg = server as NonNullable<typeof server>
    pg.createDatabase('named')
    pg.psql(
      loadPgMigrations()
        .map((m) => m.sql)
        .join('\n;\n'),
      'named',
    )
    const names = pgNames()
    expect(names).toEqual(expect.arrayContaining(['status/changed-experiments', 'experiments/set-status', 'listing/experiments-json', 'files/by-id']))
    let script = ''
    names.forEach((name, i) => {
      // A PostgreSQL variant replaces a SQLite text of the same name; a name without one only the team server runs.
      if (existsSync(join(pgRoot, '..', `${name}.sql`))) expect(sql(name, 'postgres'), name).not.toBe(sql(name))
      // as the store runs them: a clock where @now stands (status/derived inside a statement),
      // each other @name a $n (pgNamed); a listing's @where and @order are the store's own SQL
      const text = name.startsWith('listing/') ? listingSql(name, { where: 'true', order: 'e.id' }, 0, 'postgres') : pgNamed(name, ANY_VALUES).text
      script += `PREPARE s${i} AS ${text};\n`
    })
    pg.psql(script, 'named')
    // Without a variant the one text serves both.
    expect(sql('status/derived', 'postgres')).toBe(sql('status/derived'))
  })
})
