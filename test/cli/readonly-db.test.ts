import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportError } from '../../src/cli/errors.js'
import { readOpenError, writeOpenError } from '../../src/cli/open-errors.js'
import { SchemaVersionError } from '../../src/errors.js'
import { buildCli, mldb, ok, type RunResult, tempHome } from './helpers.js'

const t = tempHome()
const folder = join(t.home, 'ro')
const file = join(folder, 'runs.db')

// Permissions do not stop root: as root the binary runs as `nobody` through
// setpriv; without setpriv (or on a system without uids) the process test is skipped.
const isRoot = process.getuid?.() === 0
const hasSetpriv = isRoot && spawnSync('setpriv', ['--version']).status === 0
const canDropPermissions = process.platform !== 'win32' && (!isRoot || hasSetpriv)

function unprivileged(args: string[]): RunResult {
  if (!isRoot) return mldb(t.home, args)
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, buildCli(), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: t.home },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  buildCli()
  mkdirSync(folder)
  ok(t.home, ['log', 'e', 'loss', '0.5', '--step', '0', '--create', '--db', file])
  chmodSync(t.home, 0o755) // so `nobody` can reach the folder
  chmodSync(folder, 0o555)
})
afterAll(() => {
  chmodSync(folder, 0o755)
  t.cleanup()
})

describe('a database in a folder that is not writable', () => {
  it.skipIf(!canDropPermissions)('read commands say why SQLite cannot read it and what to do', () => {
    for (const cmd of [['ls'], ['show', 'e'], ['export']]) {
      const r = unprivileged([...cmd, '--db', file])
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(
        `mldb: cannot read ${file}: its folder is not writable, and SQLite needs to create ${file}-shm beside it; copy the file somewhere writable or fix the folder's permissions\n`,
      )
      expect(r.status).toBe(1)
    }
  })

  it.skipIf(!canDropPermissions)('write commands say the folder is not writable', () => {
    const r = unprivileged(['log', 'e', 'loss', '0.4', '--step', '1', '--db', file])
    expect(r.stderr).toMatch(/^mldb: cannot write .*runs\.db: its folder is not writable, and SQLite needs to create .*runs\.db-wal and -shm beside it;/)
    expect(r.stderr.split('\n')).toHaveLength(2)
    expect(r.status).toBe(1)
  })
})

describe('the CLI error line for databases that cannot be opened', () => {
  // the same mapping as above, without needing another user: SQLite's errors as better-sqlite3 throws them
  const sqliteError = (code: string) => Object.assign(new Error('attempt to write a readonly database'), { code })
  const line = (e: unknown) => {
    let text = ''
    const status = reportError(e, (l) => {
      text += l
    })
    return [status, text]
  }

  it('names the file and the fix instead of SQLite words', () => {
    expect(line(readOpenError('/d/x.db', sqliteError('SQLITE_READONLY_DIRECTORY')))).toEqual([
      1,
      "mldb: cannot read /d/x.db: its folder is not writable, and SQLite needs to create /d/x.db-shm beside it; copy the file somewhere writable or fix the folder's permissions\n",
    ])
    expect(line(readOpenError('/d/x.db', sqliteError('SQLITE_READONLY_CANTINIT')))[1]).toMatch(
      /^mldb: cannot read \/d\/x\.db: SQLite could not use the \/d\/x\.db-wal and -shm files beside it \(SQLITE_READONLY_CANTINIT\);/,
    )
    expect(line(writeOpenError('/d/x.db', sqliteError('SQLITE_READONLY')))[1]).toMatch(
      /^mldb: cannot write \/d\/x\.db: the file or its -wal\/-shm files are read-only \(SQLITE_READONLY\);/,
    )
  })

  it('leaves other errors alone', () => {
    const busy = sqliteError('SQLITE_BUSY')
    expect(readOpenError('/d/x.db', busy)).toBe(busy)
    expect(writeOpenError('/d/x.db', busy)).toBe(busy)
    // a newer schema is not "version 0", so it is not looked into
    const newer = new SchemaVersionError('newer', 99, 1)
    expect(readOpenError('/d/x.db', newer)).toBe(newer)
  })
})
