import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, tempHome } from '../cli/helpers.js'

/**
 * An `mlflow.db` at an early Alembic revision of the 2.x line's ancestry: no
 * run names column, no deletion or creation times, no datasets or inputs, no
 * experiment tags table. MLflow's migrations added those later.
 */
function oldStore(path: string): void {
  const db = new BetterSqlite3(path)
  db.exec(`
    CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
    INSERT INTO alembic_version VALUES ('cfd24bdc0731');
    CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL UNIQUE, artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32));
    CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);
    CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL);
    CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(250) NOT NULL, run_uuid VARCHAR(32) NOT NULL);
    CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), run_uuid VARCHAR(32) NOT NULL);
    INSERT INTO experiments VALUES (0, 'Default', './mlruns/0', 'active'), (1, 'old', './mlruns/1', 'active');
    INSERT INTO runs VALUES ('aaaabbbbccccdddd0000111122223333', 'LOCAL', 'train.py', '', 'ann', 'FINISHED', 1600000000000, 1600000005000, '', 'active', './mlruns/1/aaaabbbbccccdddd0000111122223333/artifacts', 1);
    INSERT INTO runs VALUES ('99998888777766665555444433332222', 'LOCAL', 'train.py', '', 'ann', 'FAILED', 1600000010000, 1600000011000, '', 'deleted', './mlruns/1/9999/artifacts', 1);
    INSERT INTO metrics VALUES ('loss', 0.5, 1600000001000, 'aaaabbbbccccdddd0000111122223333', 0), ('loss', 0.25, 1600000002000, 'aaaabbbbccccdddd0000111122223333', 1);
    INSERT INTO params VALUES ('lr', '1e-3', 'aaaabbbbccccdddd0000111122223333');
    INSERT INTO tags VALUES ('mlflow.runName', 'early bird', 'aaaabbbbccccdddd0000111122223333');
  `)
  db.close()
}

describe('mldb import of an mlflow.db from an early schema revision', () => {
  const t = tempHome()
  beforeAll(() => buildCli())
  afterAll(() => t.cleanup())

  it('reads the columns that exist and takes the run name from the mlflow.runName tag', () => {
    const store = join(t.home, 'tracking.sqlite')
    oldStore(store)
    const r = mldb(t.home, ['import', store, '--db', t.db])
    expect(r.stderr).toBe('imported 2 MLflow runs and 2 points\n')
    expect(r.status).toBe(0)
    const db = new Database({ path: t.db })
    try {
      const e = db.getExperiment('early bird')
      expect([e.project, e.status, e.startedAt, e.endedAt, e.params]).toEqual(['old', 'COMPLETE', 1600000000000, 1600000005000, { lr: '1e-3' }])
      expect(db.getMetricValues('early bird', 'loss').map((p) => [p.step, p.value, p.time])).toEqual([
        [0, 0.5, 1600000001000],
        [1, 0.25, 1600000002000],
      ])
      expect(db.listExperiments({ trashed: true }).map((x) => [x.name, x.status])).toEqual([['99998888777766665555444433332222', 'FAILED']])
    } finally {
      db.close()
    }
  })

  it('does not take a file that only looks like one: a CSV named mlflow.db is read as CSV', () => {
    const csv = join(t.home, 'mlflow.db')
    writeFileSync(csv, 'experiment,series,step,value\ncsv-run,loss,0,1.5\n')
    const r = mldb(t.home, ['import', csv, '--db', join(t.home, 'other.db')])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toContain('imported 1 experiment')
  })

  it("imports what MLflow's limits allow: a 250-character metric key, two runs of one 250-character name with a tab", () => {
    const store = join(t.home, 'long.sqlite')
    oldStore(store)
    const db = new BetterSqlite3(store)
    const key = 'k'.repeat(250)
    const run = `a\t${'r'.repeat(248)}`
    db.prepare("INSERT INTO metrics VALUES (?, 0.5, 1600000001000, 'aaaabbbbccccdddd0000111122223333', 0)").run(key)
    db.prepare("UPDATE tags SET value = ? WHERE key = 'mlflow.runName'").run(run)
    db.exec(
      "INSERT INTO runs VALUES ('cccc0000cccc0000cccc0000cccc0000', 'LOCAL', 'train.py', '', 'ann', 'FINISHED', 1600000020000, 1600000021000, '', 'active', './mlruns/1/cccc/artifacts', 1)",
    )
    db.prepare("INSERT INTO tags VALUES ('mlflow.runName', ?, 'cccc0000cccc0000cccc0000cccc0000')").run(run)
    db.close()
    const target = join(t.home, 'long.db')
    const r = mldb(t.home, ['import', store, '--db', target])
    expect(r.stderr).toBe('imported 3 MLflow runs and 3 points\n')
    expect(r.status).toBe(0)
    const after = new Database({ path: target })
    try {
      // neither name is cut: the second run of the name gets its id's first 8 hex digits
      expect(after.getExperiment(run).tags['mlflow.runName']).toBe(run)
      expect(after.getExperiment(`${run}-cccc0000`).tags['mlflow.runName']).toBe(run)
      expect(after.getMetricValues(run, key).map((p) => p.value)).toEqual([0.5])
    } finally {
      after.close()
    }
  })

  it('imports a negative step (MLflow logs step -1 for an evaluation before training) in step order', () => {
    const store = join(t.home, 'negative.sqlite')
    oldStore(store)
    const db = new BetterSqlite3(store)
    db.exec("INSERT INTO metrics VALUES ('loss', 0.1, 1600000003000, 'aaaabbbbccccdddd0000111122223333', -1)")
    db.close()
    const target = join(t.home, 'neg.db')
    const r = mldb(t.home, ['import', store, '--db', target])
    expect(r.stderr).toBe('imported 2 MLflow runs and 3 points\n')
    expect(r.status).toBe(0)
    const after = new Database({ path: target })
    try {
      expect(after.getMetricValues('early bird', 'loss').map((p) => [p.step, p.value])).toEqual([
        [-1, 0.1],
        [0, 0.5],
        [1, 0.25],
      ])
      expect(after.getSeries('early bird')[0]).toMatchObject({ firstStep: -1, lastStep: 1, count: 3 })
    } finally {
      after.close()
    }
  })
})
