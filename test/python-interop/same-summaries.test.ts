import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { opsJson, randomPointOps, replayTs } from './lib/ops.js'
import { runPython } from './lib/python.js'

const tmp = tempDir('mldb-py-same-')
afterAll(() => tmp.cleanup())

/** The summary tables without their wall-time columns, which differ between any two runs. */
function summaryTables(path: string): unknown {
  const db = new Sqlite(path, { readonly: true })
  try {
    return {
      series: db
        .prepare(
          'SELECT name, split, count, first_step, last_step, last_value, min_value, max_value, nan_count, blocked_until, unblocked FROM series ORDER BY name, split',
        )
        .all(),
      blocks: db
        .prepare(
          'SELECT s.name, b.first_step, b.last_step, b.count, b.min_value, b.max_value, b.last_value, b.nan_count FROM point_blocks b JOIN series s ON s.id = b.series_id ORDER BY s.name, b.first_step',
        )
        .all(),
      points: db.prepare('SELECT s.name, p.step, p.seq, p.value FROM points p JOIN series s ON s.id = p.series_id ORDER BY s.name, p.step, p.seq').all(),
    }
  } finally {
    db.close()
  }
}

describe('the same calls from either client leave identical summary tables', () => {
  it.each([1, 2, 3])('random single points and batches, seed %i', (seed) => {
    const ops = randomPointOps(seed, 1500)
    const tsPath = join(tmp.dir, `ts-${seed}.db`)
    const pyPath = join(tmp.dir, `py-${seed}.db`)
    {
      using db = new Database({ path: tsPath })
      replayTs(db, 'exp', ops)
    }
    runPython(['replay', pyPath, 'exp'], opsJson(ops))
    const ts = summaryTables(tsPath) as { blocks: unknown[] }
    // The case must reach the block logic, or the comparison proves little.
    expect(ts.blocks.length).toBeGreaterThan(10)
    expect(summaryTables(pyPath)).toEqual(ts)
  })
})
