import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { Database } from '../../src/index.js'

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'mldb-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A fresh database file in a fresh temp folder for each test of the calling
 * describe block; read `ctx.db` and `ctx.dir` inside the tests.
 */
export function freshDatabasePerTest(): { db: Database; dir: string } {
  const ctx = {} as { db: Database; dir: string; cleanup: () => void }
  beforeEach(() => {
    const t = tempDir()
    ctx.dir = t.dir
    ctx.cleanup = t.cleanup
    ctx.db = new Database({ path: join(t.dir, 'm.db') })
  })
  afterEach(() => {
    ctx.db.close()
    ctx.cleanup()
  })
  return ctx
}
