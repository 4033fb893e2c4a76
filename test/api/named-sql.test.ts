import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database, LOST_AFTER_MS } from '../../src/index.js'
import { sql, stripComments } from '../../src/named-sql.js'
import { bindNow } from '../../src/query/filter.js'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(import.meta.dirname, '../..')
const sqlRoot = join(root, 'sql')

/** Every named statement of sql/ (the SQLite ones; sql/pg/ is PostgreSQL's), as `folder/name`. */
function names(dir = sqlRoot): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = join(dir, f)
    if (statSync(full).isDirectory()) return f === 'pg' && dir === sqlRoot ? [] : names(full)
    return f.endsWith('.sql') ? [relative(sqlRoot, full).slice(0, -4)] : []
  })
}

describe('named SQL (sql/, shared with the Python client)', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  it('holds every statement of the write path, each compiling against the schema mldb creates', () => {
    const path = join(t.dir, 'a.db')
    new Database({ path }).close()
    const raw = new BetterSqlite3(path)
    const all = names()
    expect(all).toEqual(expect.arrayContaining(['points/append-tail', 'series/add-one', 'points/block-widen', 'experiments/set-status', 'params/insert']))
    for (const name of all) {
      const text = sql(name)
      expect(text, name).toBe(stripComments(readFileSync(join(sqlRoot, `${name}.sql`), 'utf8')))
      expect(text, name).not.toMatch(/;\s*$/)
      // status/derived is an expression over `experiments e`; the rest are whole statements.
      const statement = name === 'status/derived' ? bindNow(`SELECT ${text} FROM experiments e`, 0) : text
      expect(raw.prepare(statement).reader, name).toBe(statement.startsWith('SELECT'))
    }
    raw.close()
  })

  it('writes the LOST rule once: LOST_AFTER_MS is the number in sql/status/derived.sql', () => {
    expect(sql('status/derived')).toContain(`(@now - ${LOST_AFTER_MS})`)
    expect(LOST_AFTER_MS).toBe(60_000)
    let now = Date.now()
    using db = new Database({ path: join(t.dir, 'b.db'), clock: () => now })
    db.setExpStatus('quiet', 'TRAINING')
    now += 35_000
    db.setExpStatus('alive', 'TRAINING')
    now += LOST_AFTER_MS - 30_000 // quiet's last sign of life is LOST_AFTER_MS + 5 s old, alive's 30 s younger than that rule
    expect(db.getExpStatus('quiet')).toBe('LOST')
    expect(db.getExpStatus('alive')).toBe('TRAINING')
    expect(db.listExperiments({ where: "status = 'LOST'" }).map((e) => e.name)).toEqual(['quiet'])
  })
})
