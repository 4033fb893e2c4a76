import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { Database, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { pythonEnv } from './lib/python.js'

const tmp = tempDir('mldb-py-tx-')
afterAll(() => tmp.cleanup())

const T = Date.UTC(2026, 7, 3, 9, 17, 2)

// The same script in both clients (docs/schema.md, "Transactions"): a transaction with a refused
// call caught inside and an inner transaction that throws, then one that throws as a whole.
const PY = `
import sys
from mldb import Database, ValidationError
with Database(sys.argv[1], clock=lambda: ${T}) as db:
    with db.transaction():
        db.set_params("a", {"lr": 0.1})
        db.log_batch("a", [{"name": "loss", "split": "train", "step": s, "value": 1.0 / (s + 1)} for s in range(3)])
        try:
            db.set_params("a", {"opt": "sgd", "lr": 0.2})
        except ValidationError:
            pass
        try:
            with db.transaction():
                db.add_metric_value("a", "acc", 0, 0.5)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
        db.set_exp_status("a", "COMPLETE")
    try:
        with db.transaction():
            db.set_exp_status("b", "TRAINING")
            db.add_metric_value("b", "acc", 0, 0.5)
            raise RuntimeError("outer")
    except RuntimeError:
        pass
    db.add_metric_value("c", "acc", 0, 0.25)
`

function writeWithTypeScript(path: string): void {
  using db = new Database({ path, clock: () => T })
  db.transaction(() => {
    db.setParams('a', { lr: 0.1 })
    db.logBatch(
      'a',
      [0, 1, 2].map((s) => ({ name: 'loss', split: 'train', step: s, value: 1 / (s + 1) })),
    )
    expect(() => db.setParams('a', { opt: 'sgd', lr: 0.2 })).toThrow(ValidationError)
    expect(() =>
      db.transaction(() => {
        db.addMetricValue('a', 'acc', 0, 0.5)
        throw new Error('inner')
      }),
    ).toThrow('inner')
    db.setExpStatus('a', 'COMPLETE')
  })
  expect(() =>
    db.transaction(() => {
      db.setExpStatus('b', 'TRAINING')
      db.addMetricValue('b', 'acc', 0, 0.5)
      throw new Error('outer')
    }),
  ).toThrow('outer')
  db.addMetricValue('c', 'acc', 0, 0.25)
}

/** Every row a writer leaves, host and pid aside. */
function rows(path: string): { experiments: unknown[]; history: unknown[]; params: unknown[]; series: unknown[]; points: unknown[] } {
  const db = new BetterSqlite3(path, { readonly: true })
  try {
    const q = (sql: string) => db.prepare(sql).raw().all()
    return {
      experiments: q('SELECT id, name, status, created_at, started_at, ended_at, updated_at, heartbeat_at FROM experiments ORDER BY id'),
      history: q('SELECT experiment_id, status, time FROM status_history ORDER BY id'),
      params: q('SELECT experiment_id, key, value FROM params ORDER BY experiment_id, key'),
      series: q('SELECT * FROM series ORDER BY id'),
      points: q('SELECT * FROM points ORDER BY series_id, step, seq'),
    }
  } finally {
    db.close()
  }
}

it('both clients leave the same rows after the same transactions', () => {
  const ts = join(tmp.dir, 'ts.db')
  const py = join(tmp.dir, 'py.db')
  writeWithTypeScript(ts)
  const res = spawnSync('python3', ['-c', PY, py], { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 })
  expect(res.stderr).toBe('')
  expect(res.status).toBe(0)
  const want = rows(ts)
  expect(want.experiments.map((r) => (r as unknown[])[1])).toEqual(['a', 'c'])
  expect(want.params).toEqual([[1, 'lr', '0.1']])
  expect(rows(py)).toEqual(want)
})
