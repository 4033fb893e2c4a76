// The -wal stays bounded (issue 8 item 8): once a long reader that kept it from
// starting over is gone, the next writes cut it back under the limit instead
// of leaving a file as big as the longest stall for the rest of the run.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

const LIMIT = 32 * 1024 * 1024

describe('WAL growth', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  it('a -wal grown past the limit behind a reader is cut back under it by later writes', () => {
    const path = join(t.dir, 'm.db')
    using db = new Database({ path })
    db.addMetricValue('e', 'loss', 0, 0)
    // A reader's open snapshot keeps every checkpoint from reaching the end of the WAL.
    const reader = new BetterSqlite3(path, { readonly: true })
    reader.exec('BEGIN')
    reader.prepare('SELECT count(*) FROM points').get()
    const wal = `${path}-wal`
    let step = 1
    while (statSync(wal).size < LIMIT + 8 * 1024 * 1024) {
      db.logBatch(
        'e',
        Array.from({ length: 5000 }, (_, k) => ({ name: 'loss', step: step + k, value: k })),
      )
      step += 5000
    }
    reader.exec('COMMIT')
    reader.close()
    for (let k = 0; k < 200; k++) db.addMetricValue('e', 'lr', k, 0.1)
    expect(statSync(wal).size).toBeLessThanOrEqual(LIMIT)
    expect(db.getSeries('e').find((s) => s.key === 'loss')?.count).toBe(step)
  })
})
