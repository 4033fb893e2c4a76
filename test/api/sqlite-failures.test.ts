// SQLite's own failures reach the user as mldb errors that keep SQLite's code
// and say what to do (issue 8 item 6): disk full, busy past the timeout,
// read-only, corrupt, and a -wal deleted under an open writer.
import { execFileSync } from 'node:child_process'
import { mkdirSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CorruptDatabaseError,
  Database,
  DatabaseBusyError,
  DatabaseIoError,
  DiskFullError,
  MldbError,
  ReadOnlyDatabaseError,
  SqliteFailure,
} from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

/** Mounts a small tmpfs (we run as root in CI); undefined with the reason when that is not allowed. */
function mountTmpfs(dir: string, size: string): string | undefined {
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
    return undefined
  } catch (e) {
    return `mount -t tmpfs is not permitted here: ${(e as Error).message.split('\n')[0]}`
  }
}

const probe = tempDir('mldb-mount-probe-')
const cannotMount = mountTmpfs(join(probe.dir, 'm'), '64k')
if (!cannotMount) execFileSync('umount', [join(probe.dir, 'm')])
probe.cleanup()

describe('SQLite failures as mldb errors', () => {
  let t: ReturnType<typeof tempDir>
  const mounts: string[] = []
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => {
    for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m])
    t.cleanup()
  })

  it.skipIf(cannotMount)(`disk full: DiskFullError with SQLITE_FULL, the failed call writes nothing, earlier values stay (${cannotMount ?? 'tmpfs'})`, () => {
    const mnt = join(t.dir, 'small')
    expect(mountTmpfs(mnt, '1m')).toBeUndefined()
    mounts.push(mnt)
    const path = join(mnt, 'm.db')
    using db = new Database({ path })
    let ok = 0
    let err: unknown
    for (let i = 0; i < 10_000 && !err; i++) {
      try {
        db.logBatch(
          'full',
          Array.from({ length: 100 }, (_, k) => ({ name: 'loss', step: i * 100 + k, value: k / 7 })),
        )
        ok++
      } catch (e) {
        err = e
      }
    }
    expect(err).toBeInstanceOf(DiskFullError)
    expect(err).toBeInstanceOf(SqliteFailure)
    const e = err as DiskFullError
    expect(e.code).toMatch(/^SQLITE_FULL/)
    expect(e.message).toContain(path)
    expect(e.message).toMatch(/disk .* is full.*free space/)
    // whole batches only: the call that failed left nothing behind
    expect(db.getSeries('full')[0]?.count).toBe(ok * 100)
  })

  it.skipIf(cannotMount)('a read-only file system: ReadOnlyDatabaseError, read-write and read-only alike, not "unable to open database file"', () => {
    const mnt = join(t.dir, 'ro')
    expect(mountTmpfs(mnt, '4m')).toBeUndefined()
    mounts.push(mnt)
    const path = join(mnt, 'm.db')
    const db = new Database({ path })
    db.addMetricValue('e', 'loss', 0, 1)
    db.close()
    execFileSync('mount', ['-o', 'remount,ro', mnt])
    for (const readonly of [false, true]) {
      let err: unknown
      try {
        new Database({ path, readonly }).close()
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ReadOnlyDatabaseError)
      expect((err as ReadOnlyDatabaseError).code).toMatch(/^SQLITE_(CANTOPEN|READONLY)/)
      expect((err as Error).message).toMatch(/read-only.*writable/)
    }
  })

  it('a write lock held past the timeout: DatabaseBusyError with SQLITE_BUSY, nothing written; later calls work', () => {
    const path = join(t.dir, 'm.db')
    using db = new Database({ path, busyTimeoutMs: 50 })
    db.addMetricValue('e', 'loss', 0, 1)
    const holder = new BetterSqlite3(path)
    holder.exec('BEGIN IMMEDIATE')
    let err: unknown
    try {
      db.addMetricValue('e', 'loss', 1, 2)
    } catch (e) {
      err = e
    }
    holder.exec('ROLLBACK')
    holder.close()
    expect(err).toBeInstanceOf(DatabaseBusyError)
    expect((err as DatabaseBusyError).code).toMatch(/^SQLITE_BUSY/)
    expect((err as Error).message).toContain(`fuser ${path}`)
    expect(db.getMetricValues('e', 'loss').map((p) => p.step)).toEqual([0])
    db.addMetricValue('e', 'loss', 1, 2)
    expect(db.getMetricValues('e', 'loss').map((p) => p.step)).toEqual([0, 1])
  })

  it('a damaged file: CorruptDatabaseError with SQLITE_CORRUPT naming the file and mldb doctor', () => {
    const path = join(t.dir, 'm.db')
    const db = new Database({ path })
    for (let i = 0; i < 50; i++)
      db.logBatch(
        `e${i}`,
        Array.from({ length: 200 }, (_, k) => ({ name: 'loss', step: k, value: k })),
      )
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    // scribble over every page but the first (the header and schema stay readable)
    const size = statSync(path).size
    const fd = openSync(path, 'r+')
    const junk = Buffer.alloc(1024, 0xa5)
    for (let off = 1024; off < size; off += 4096) writeSync(fd, junk, 0, 1024, off)
    let err: unknown
    try {
      using bad = new Database({ path, readonly: true })
      bad.listExperiments()
      for (let i = 0; i < 50; i++) bad.getMetricValues(`e${i}`, 'loss')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CorruptDatabaseError)
    expect((err as CorruptDatabaseError).code).toMatch(/^SQLITE_(CORRUPT|NOTADB)/)
    expect((err as Error).message).toContain(path)
    expect((err as Error).message).toContain('mldb doctor')
  })

  it('a -wal deleted under an open writer is reported by the next open, not as "disk I/O error"', () => {
    const path = join(t.dir, 'm.db')
    using writer = new Database({ path })
    for (let i = 0; i < 20; i++) writer.addMetricValue('e', 'loss', i, i)
    unlinkSync(`${path}-wal`)
    writer.addMetricValue('e', 'loss', 20, 20)
    let err: unknown
    try {
      new Database({ path }).close()
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DatabaseIoError)
    expect(err).toBeInstanceOf(MldbError)
    expect((err as Error).message).toMatch(/-wal was deleted or cut short while a process had .* open/)
    expect((err as Error).message).toContain(`${path}-shm`)
    // the writer still has everything; when it closes, it writes it back
    expect(writer.getMetricValues('e', 'loss')).toHaveLength(21)
    writer.close()
    rmSync(`${path}-wal`, { force: true })
    using again = new Database({ path, readonly: true })
    expect(again.getMetricValues('e', 'loss')).toHaveLength(21)
  })
})
