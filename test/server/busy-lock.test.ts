// Issue 8 item 6 on the dashboard: another process holding the write lock (a
// long `mldb import`, a stuck script) must not stall the server's reads behind
// the full busy timeout and its retries (a minute, during which the one event
// loop answers nobody), and a write it refuses is a 503 JSON, not a 500.
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { tempDir } from '../helpers/tmp.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

/** A file with experiment `e` whose series `valid/loss` has an open tail (points logged one call at a time, not yet folded). */
function fileWithOpenTail(): string {
  const t = tempDir('mldb-busy-')
  cleanups.push(t.cleanup)
  const path = join(t.dir, 'busy.db')
  const writer = new Database({ path })
  for (let s = 0; s < 10; s++) writer.addMetricValue('e', 'valid/loss', s, 1 / (s + 1))
  // Left open: closing would fold the tail.
  cleanups.push(() => writer.close())
  return path
}

/** Another connection holding the write lock, as a foreign process would; release() commits nothing. */
function holdWriteLock(path: string): { release(): void } {
  const other = new BetterSqlite3(path)
  other.exec('BEGIN EXCLUSIVE')
  other.prepare("UPDATE experiments SET notes = 'held' WHERE name = 'e'").run()
  const release = () => {
    if (other.open) {
      other.exec('ROLLBACK')
      other.close()
    }
  }
  cleanups.push(release)
  return { release }
}

function appOver(path: string, options: { busyTimeoutMs?: number } = {}) {
  const db = new Database({ path, ...options })
  cleanups.push(() => db.close())
  return { db, app: createApp({ db, webRoot: join(path, '..', 'no-web-build') }) }
}

describe('mldb ui while another process holds the write lock', () => {
  // With the default busy timeout (10 s, retried 5 times) each of these reads
  // used to wait a minute to fold the series tail: the test timed out.
  it('answers reads of series still being logged one call at a time, their summaries folded once the lock is gone', { timeout: 30_000 }, async () => {
    const path = fileWithOpenTail()
    const { app } = appOver(path)
    const lock = holdWriteLock(path)
    for (const url of ['/api/experiments', '/api/experiments/e', '/api/experiments/e/series', '/api/projects']) {
      const res = await app.request(url)
      expect(res.status, url).toBe(200)
    }
    lock.release()
    const { series } = (await (await app.request('/api/experiments/e/series')).json()) as { series: { count: number; lastStep: number }[] }
    expect(series[0]).toMatchObject({ count: 10, lastStep: 9 })
  })

  it('refuses a write past the busy timeout with 503, a JSON body naming the lock and Retry-After, and writes nothing', async () => {
    const path = fileWithOpenTail()
    const { app, db } = appOver(path, { busyTimeoutMs: 50 })
    const lock = holdWriteLock(path)
    const res = await app.request('/api/experiments/e', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'from the dashboard', tags: { keep: 'yes' } }),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('unavailable')
    expect(body.error.message).toMatch(/stayed locked by another process .*\(SQLITE_BUSY\).*nothing of this call was written/)
    lock.release()
    expect(db.getNotes('e')).toBe('')
    expect(db.getTags('e')).toEqual({})
  })
})
