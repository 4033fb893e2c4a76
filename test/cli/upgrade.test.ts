import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { mldb, tempHome } from './helpers.js'

// A user upgrades mldb and runs a read command on the file the old one wrote:
// the file is brought to the new schema (migrations only add), not refused.
const t = tempHome()
afterAll(() => t.cleanup())
const MIGRATIONS = join(import.meta.dirname, '../../migrations')

describe('a database written by an older mldb (schema v1)', () => {
  it('is upgraded by a read command, keeping its experiments', () => {
    const path = join(t.home, 'old.db')
    const raw = new BetterSqlite3(path)
    raw.pragma('journal_mode = WAL')
    raw.exec(readFileSync(join(MIGRATIONS, '001-initial.sql'), 'utf8'))
    raw.pragma('user_version = 1')
    raw.prepare("INSERT INTO projects (id, name, created_at) VALUES (1, 'default', 1)").run()
    raw.prepare("INSERT INTO experiments (name, project_id, status, created_at, updated_at) VALUES ('20220803_091702_TestModel', 1, 'COMPLETE', 1, 1)").run()
    raw.close()

    const r = mldb(t.home, ['ls', '--json', '--db', path])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const rows = parseJsonNumbers(r.stdout) as { name: string; status: string }[]
    expect(rows.map((e) => [e.name, e.status])).toEqual([['20220803_091702_TestModel', 'COMPLETE']])

    const after = new BetterSqlite3(path, { readonly: true })
    // every shipped migration applied
    expect(after.pragma('user_version', { simple: true })).toBe(readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).length)
    after.close()
  })
})

describe('a database written by mldb before negative steps (schema v10)', () => {
  it("moves a sync frontier's -1 (nothing acknowledged) to BEFORE_FIRST_STEP, keeping real frontiers", () => {
    const path = join(t.home, 'v10.db')
    const raw = new BetterSqlite3(path)
    raw.pragma('journal_mode = WAL')
    for (const f of readdirSync(MIGRATIONS).filter((x) => x.endsWith('.sql') && x < '011')) raw.exec(readFileSync(join(MIGRATIONS, f), 'utf8'))
    raw.pragma('user_version = 10')
    const add = raw.prepare('INSERT INTO sync_series (server, series_id, step, seq, count, sent_step, sent_seq) VALUES (?, ?, ?, ?, ?, ?, ?)')
    add.run('http://a', 1, -1, -1, 0, 7, 0)
    add.run('http://a', 2, 5, 0, 6, 5, 0)
    raw.close()

    expect(mldb(t.home, ['ls', '--db', path]).status).toBe(0)
    const after = new BetterSqlite3(path, { readonly: true })
    expect(after.prepare('SELECT series_id, step, seq, sent_step FROM sync_series ORDER BY series_id').raw().all()).toEqual([
      [1, -(2 ** 53), -1, 7],
      [2, 5, 0, 5],
    ])
    after.close()
  })
})
