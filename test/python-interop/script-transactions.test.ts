import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { pythonEnv } from './lib/python.js'

const tmp = tempDir('mldb-py-script-tx-')
afterAll(() => tmp.cleanup())

// The one place the clients differ on purpose (docs/schema.md, "Transactions"): a write
// call inside a transaction the script opened itself with SQL. better-sqlite3 never opens
// one by itself, so TypeScript joins it; Python's sqlite3 does, and the client cannot tell
// the two apart, so it refuses rather than leave the value undurable.
it('TypeScript joins a transaction the script opened on db.sqlite; Python refuses one opened through db.cursor', () => {
  const path = join(tmp.dir, 'ts.db')
  {
    using db = new Database({ path })
    db.setExpStatus('a', 'TRAINING')
    db.sqlite.exec('BEGIN IMMEDIATE')
    db.addMetricValue('a', 'x', 0, 1)
    db.sqlite.exec('ROLLBACK')
    db.addMetricValue('a', 'x', 1, 2)
    // the joined call went with the script's rollback
    expect(db.getMetricValues('a', 'x').map((p) => p.step)).toEqual([1])
  }
  const py = `
import sys
from mldb import Database, MldbError
with Database(sys.argv[1]) as db:
    db.set_exp_status("a", "TRAINING")
    for opener in ("BEGIN", "SAVEPOINT s"):
        db.cursor.execute(opener)
        try:
            db.add_metric_value("a", "x", 0, 1.0)
            print("joined")
        except MldbError:
            print("refused")
        db.cursor.execute("ROLLBACK")
    db.add_metric_value("a", "x", 1, 2.0)
    print([p["step"] for p in db.get_metric_values("a", "x")])
`
  const res = spawnSync('python3', ['-c', py, join(tmp.dir, 'py.db')], { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 })
  expect(res.stderr).toBe('')
  expect(res.stdout.trim().split('\n')).toEqual(['refused', 'refused', '[1]'])
})
