// Issue 8 item 6 through `mldb sql`: a statement that finds the database locked
// by another process past the busy timeout is one line naming the lock and what
// to do (SQLite's code kept), not "SQL error: database is locked".
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, tempHome } from './helpers.js'

const home = tempHome()
beforeAll(() => {
  buildCli()
  using db = new Database({ path: home.db })
  db.setExpStatus('e', 'COMPLETE')
})
afterAll(() => home.cleanup())

describe('mldb sql --write while another process holds the write lock', () => {
  it('fails with one line naming the lock, SQLITE_BUSY and fuser, and changes nothing', () => {
    const other = new BetterSqlite3(home.db)
    try {
      other.exec('BEGIN EXCLUSIVE')
      // The CLI waits its busy timeout (10 s) once, then gives up.
      const r = mldb(home.home, ['sql', '--db', home.db, '--write', "UPDATE experiments SET notes = 'x'"])
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr.startsWith(`mldb: ${home.db} stayed locked`)).toBe(true)
      expect(r.stderr).toMatch(/stayed locked by another process for over 10 s \(SQLITE_BUSY\); find it with `fuser /)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    const r = mldb(home.home, ['sql', '--db', home.db, '--json', 'SELECT notes FROM experiments'])
    expect(JSON.parse(r.stdout)).toEqual([{ notes: '' }])
  })
})
