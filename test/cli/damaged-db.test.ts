// Issue 8 item 6 through the CLI: a damaged file is one line naming the file and
// `mldb doctor` from every command, including those that call store functions
// directly (`best`) and raw SQL (`sql`), not "SQL error: ..." or "SQLite: ...".
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, tempHome } from './helpers.js'

const home = tempHome()
beforeAll(() => {
  buildCli()
  const db = new Database({ path: home.db })
  for (let i = 0; i < 20; i++) {
    db.setExpStatus(`e${i}`, 'COMPLETE')
    db.logBatch(
      `e${i}`,
      Array.from({ length: 150 }, (_, k) => ({ name: 'loss', split: 'valid', step: k, value: 1 / (k + 1) })),
    )
  }
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  // scribble over every page but the first two (header and schema stay readable)
  const size = statSync(home.db).size
  const fd = openSync(home.db, 'r+')
  const junk = Buffer.alloc(512, 0xa5)
  for (let off = 4096; off < size; off += 2048) writeSync(fd, junk, 0, 512, off)
  closeSync(fd)
})
afterAll(() => home.cleanup())

describe('mldb on a damaged database file', () => {
  it.each([
    ['best', ['best', 'valid/loss']],
    ['sql', ['sql', 'SELECT count(*), sum(value) FROM points']],
    ['ls', ['ls']],
    ['export', ['export']],
  ])('%s: one line naming the file and mldb doctor, exit 1', (_, args) => {
    const r = mldb(home.home, [...args, '--db', home.db])
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(`mldb: ${home.db} is damaged or not an SQLite database (SQLITE_CORRUPT`)
    expect(r.stderr).toContain('mldb doctor')
  })
})
