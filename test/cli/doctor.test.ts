// `mldb doctor` beside a live writer, on a damaged file, and how it shows times
// (issue 8 items 7 and 17).
import { openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { type Child, killAll, REPO_ROOT, startChild } from '../concurrency/lib/child.js'
import { buildCli, mldb, tempHome } from './helpers.js'

const children: Child[] = []
afterAll(() => killAll(children))

describe('mldb doctor', () => {
  let t: ReturnType<typeof tempHome>
  beforeEach(() => {
    buildCli()
    t = tempHome()
  })
  afterEach(() => t.cleanup())

  it('--fix beside a process that keeps logging: exit 0 every time, nothing rebuilt, nothing reported', async () => {
    const child = startChild(join(REPO_ROOT, 'test', 'cli', 'children', 'steady-writer.ts'), [t.db])
    children.push(child)
    await child.waitFor((l) => l.includes('ready'))
    for (let round = 0; round < 6; round++) {
      const r = mldb(t.home, ['doctor', '--fix', '--json', '--db', t.db])
      expect(r.stderr).toBe('')
      const report = JSON.parse(r.stdout)
      expect({ round, status: r.status, series: report.series, fixed: report.fixed, integrity: report.integrity }).toEqual({
        round,
        status: 0,
        series: [],
        fixed: { series: 0, orphanBlocks: 0 },
        integrity: [],
      })
    }
    for (let round = 0; round < 3; round++) expect(mldb(t.home, ['doctor', '--db', t.db]).status).toBe(0)
    child.proc.kill('SIGKILL')
    await child.exited
    expect(child.stderr()).toBe('')
  })

  it('a damaged file: one clear line and exit 1, never a crash or a stack', () => {
    const db = new Database({ path: t.db })
    for (let i = 0; i < 50; i++)
      db.logBatch(
        `e${i}`,
        Array.from({ length: 200 }, (_, k) => ({ name: 'loss', step: k, value: k })),
      )
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const size = statSync(t.db).size
    const fd = openSync(t.db, 'r+')
    writeSync(fd, Buffer.alloc(1024, 0xa5), 0, 1024, Math.floor(size / 2048) * 1024)
    for (const args of [[], ['--fix'], ['--json']]) {
      const r = mldb(t.home, ['doctor', ...args, '--db', t.db])
      expect(r.status).toBe(1)
      expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/)
      const text = r.stdout + r.stderr
      expect(text).toContain(`${t.db} is damaged`)
      expect(text).toMatch(/SQLITE_CORRUPT/)
      expect(text).toMatch(/backup|mldb export/)
      if (args[0] === '--json') expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'SQLITE_CORRUPT' } })
    }
    // a header that is no SQLite at all: one line on stderr
    writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, 0)
    const r = mldb(t.home, ['doctor', '--db', t.db])
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/not an SQLite database/)
  })

  it('shows times as the rest of the CLI does ("5m ago"), not ISO', () => {
    const db = new Database({ path: t.db })
    db.setExpStatus('quiet', 'TRAINING')
    db.close()
    const s = new BetterSqlite3(t.db)
    s.prepare('UPDATE experiments SET heartbeat_at = ?').run(Date.now() - 5 * 60_000 - 5_000)
    s.close()
    const r = mldb(t.home, ['doctor', '--db', t.db])
    expect(r.stdout).toMatch(/LOST quiet: active, last heartbeat 5m ago/)
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/)
  })
})
