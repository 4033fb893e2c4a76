import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database, LOST_AFTER_MS } from '../../src/index.js'
import { sql, stripComments } from '../../src/named-sql.js'
import { bindNow } from '../../src/query/filter.js'
import { listingSql } from '../../src/store/listing-sql.js'
import { tempDir } from '../helpers/tmp.js'

const root = resolve(import.meta.dirname, '../..')
const sqlRoot = join(root, 'sql')

/** The names that have a PostgreSQL text in sql/pg/. */
const pgNames = () => names(join(sqlRoot, 'pg')).map((n) => n.slice('pg/'.length))

/** Every named statement of sql/ (the SQLite ones; sql/pg/ is PostgreSQL's), as `folder/name`. */
function names(dir = sqlRoot): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = join(dir, f)
    if (statSync(full).isDirectory()) return f === 'pg' && dir === sqlRoot ? [] : names(full)
    return f.endsWith('.sql') ? [relative(sqlRoot, full).slice(0, -4)] : []
  })
}

/** A file's text as docs/schema.md says a client reads it: comments dropped, `{folder/name}` replaced by that file's text. */
function expected(name: string): string {
  return stripComments(readFileSync(join(sqlRoot, `${name}.sql`), 'utf8')).replace(/\{([a-z0-9/-]+)\}/g, (_, inner: string) => expected(inner))
}

/** Every name a client passes to sql('...') / sql("...") in its source, as `folder/name`. */
function namesUsed(dir: string, ending: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ending) && !f.includes('node_modules') && !f.includes('__pycache__'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\bsql\(\s*['"]([a-z0-9-]+(?:\/[a-z0-9-]+)+)['"]/g)].map((m) => m[1] as string))
}

/**
 * A statement around a fragment of the filter compiler (sql/filter/), its `/*slot*\/`s filled as a
 * compiler fills them: a metric column, param or tag test over its row `x`, an ORDER BY list, or an
 * expression over `experiments e JOIN projects p`.
 */
function filterProbe(name: string, text: string): string {
  const slots: Record<string, string> = { cond: 'TRUE', column: 'x.count', key: 'e.id', direction: 'ASC' }
  const filled = text.replace(/\/\*([a-z]+)\*\//g, (_, slot: string) => slots[slot] ?? `/*${slot}*/`)
  if (name === 'filter/order-missing-last') return `SELECT 1 FROM experiments e ORDER BY ${filled}`
  if (name.startsWith('filter/metric-')) return `SELECT ${filled} FROM series x`
  if (name.startsWith('filter/param-')) return `SELECT ${filled} FROM params x`
  if (name.startsWith('filter/tag-')) return `SELECT ${filled} FROM tags x`
  return `SELECT ${filled} FROM experiments e JOIN projects p ON p.id = e.project_id`
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
      expect(text, name).toBe(expected(name))
      expect(text, name).not.toMatch(/;\s*$/)
      // status/derived, status/duration and listing/params-json are expressions over `experiments e`, listing/where-*
      // conditions, listing/order-default an ORDER BY list, listing/experiment-fields json_object's
      // arguments, filter/* the filter compiler's fragments (filterProbe); the rest are whole statements, reads (SELECT, WITH) or writes (one with RETURNING
      // answers rows too). A listing's @where and @order are the client's own SQL.
      const statement =
        name === 'status/derived' || name === 'status/duration' || name === 'listing/params-json'
          ? bindNow(`SELECT ${text} FROM experiments e`, 0)
          : name.startsWith('listing/where-')
            ? bindNow(`SELECT 1 FROM experiments e JOIN projects p ON p.id = e.project_id WHERE ${text}`, 0)
            : name === 'listing/order-default'
              ? `SELECT 1 FROM experiments e ORDER BY ${text}`
              : name.startsWith('filter/')
                ? bindNow(filterProbe(name, text), 0)
                : name === 'listing/experiment-fields'
                  ? bindNow(`SELECT json_object(${text}) FROM experiments e JOIN projects p ON p.id = e.project_id`, 0)
                  : name.startsWith('listing/')
                    ? listingSql(name, { where: '1', order: 'e.id' }, 0)
                    : text
      expect(raw.prepare(statement).reader, name).toBe(/^(SELECT|WITH)\b/.test(statement) || /\bRETURNING\b/.test(statement))
    }
    raw.close()
  })

  it('has a file for every statement either client names, the registry and sweeps among them', () => {
    // a name with only a PostgreSQL text (sql/pg/) counts: the team server runs it
    const all = new Set([...names(), ...pgNames()])
    const used = [...namesUsed(join(root, 'src'), '.ts'), ...namesUsed(join(root, 'python', 'mldb'), '.py')]
    expect(used).toEqual(expect.arrayContaining(['registry/next-version', 'registry/alias-set', 'sweeps/lost', 'sweeps/trials']))
    expect(used.filter((n) => !all.has(n))).toEqual([])
    // the sweep's LOST query and its trials read the one LOST expression
    expect(sql('sweeps/lost')).toContain(sql('status/derived'))
    expect(sql('sweeps/trials')).toContain(sql('status/derived'))
  })

  it('has no file that no code loads: each name is named by a client, or included by another file', () => {
    const read = (dir: string, ending: string) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith(ending) && !f.includes('node_modules') && !f.includes('__pycache__'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n')
    const code = read(join(root, 'src'), '.ts') + read(join(root, 'python', 'mldb'), '.py')
    const files = read(sqlRoot, '.sql')
    const quoted = (text: string, name: string) => text.includes(`'${name}'`) || text.includes(`"${name}"`)
    const unused = names().filter((name) => !quoted(code, name) && !files.includes(`{${name}}`))
    expect(unused).toEqual([])
    // a PostgreSQL text is loaded by the team server's store
    const pgCode = read(join(root, 'src', 'store', 'postgres'), '.ts')
    expect(pgNames().filter((name) => !quoted(pgCode, name))).toEqual([])
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
