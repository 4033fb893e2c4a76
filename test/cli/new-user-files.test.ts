// The wrong file handed to mldb: an empty --db, and an SQLite file that is not
// an export given to `mldb import`. One line naming it, a non-zero exit, nothing written.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { mldb, ok, tempHome } from './helpers.js'

const h = tempHome()
afterAll(() => h.cleanup())

describe('mldb given the wrong file', () => {
  it('--db "" (an unset variable) is refused with exit 2 instead of writing to a database that vanishes', () => {
    for (const args of [
      ['--db', '', 'status', 'e1', 'TRAINING'],
      ['log', 'e1', 'loss', '1', '--step', '1', '--create', '--db', ''],
      ['ls', '--db', ''],
    ]) {
      const r = mldb(h.home, args)
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr).toBe('mldb: --db is empty; give the path of a database file, or leave --db out for the default\n')
    }
  })

  it('an empty path (an unset variable) for export --out, import or sweep create is refused with exit 2, and export writes nothing to stdout', () => {
    ok(h.home, ['--db', h.db, 'status', 'e0', 'COMPLETE'])
    const cases: [string[], string][] = [
      [['export', '--out', ''], 'mldb: the output path is empty; give a file (--out) or a folder\n'],
      [['export', '--format', 'mlflow', ''], 'mldb: the output path is empty; give a file (--out) or a folder\n'],
      [['import', ''], 'mldb: the path to import is empty; give an `mldb export` file, mlflow.db or mlruns/\n'],
      [['sweep', 'create', ''], 'mldb: the sweep file is empty; give the path of your sweep.yaml\n'],
    ]
    for (const [args, line] of cases) {
      const r = mldb(h.home, [...args, '--db', h.db])
      expect([r.status, r.stdout, r.stderr], args.join(' ')).toEqual([2, '', line])
    }
  })

  it('export --format mlflow onto a file is one line naming it, exit 1, not an unexpected EEXIST', () => {
    const file = join(h.home, 'a-file')
    writeFileSync(file, 'x')
    const r = mldb(h.home, ['export', '--format', 'mlflow', file, '--db', h.db])
    expect([r.status, r.stderr]).toEqual([1, `mldb: ${file} is a file; give a folder for the MLflow store\n`])
  })

  it('server --artifacts naming a file is one line naming it, exit 1, not an unexpected EEXIST', () => {
    const file = join(h.home, 'not-a-folder')
    writeFileSync(file, 'x')
    const r = mldb(h.home, ['server', '--artifacts', file, '--port', '0', '--db', h.db])
    expect([r.status, r.stderr]).toEqual([1, `mldb: --artifacts ${file} is a file; give a folder for the uploaded files\n`])
  })

  it("Node's own file errors name the path in one line instead of 'unexpected error: ENOTDIR ... mkdir'", () => {
    const file = join(h.home, 'in-the-way')
    writeFileSync(file, 'x')
    const r = mldb(h.home, ['server', '--artifacts', join(file, 'sub'), '--port', '0', '--db', h.db])
    expect([r.status, r.stderr]).toEqual([1, `mldb: cannot create the folder ${join(file, 'sub')}: a part of the path is not a folder\n`])
  })

  it('import of an mldb database says to export it first; of another SQLite file, what it is not', () => {
    ok(h.home, ['--db', h.db, 'status', 'e1', 'COMPLETE'])
    const other = join(h.home, 'other.db')
    copyFileSync(h.db, other)
    const target = join(h.home, 'target.db')
    ok(h.home, ['--db', target, 'status', 'mine', 'COMPLETE'])
    let r = mldb(h.home, ['import', other, '--db', target])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      `mldb: ${other} is an mldb database, not an export; export it first (mldb export --db ${other} --out runs.jsonl), then import runs.jsonl\n`,
    )
    const plain = join(h.home, 'plain.db')
    new BetterSqlite3(plain).exec('CREATE TABLE t (x)')
    r = mldb(h.home, ['import', plain, '--db', target])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      `mldb: ${plain} is an SQLite database but not MLflow's (no runs, experiments and metrics tables); give an \`mldb export\` file, mlflow.db or mlruns/\n`,
    )
    using db = new Database({ path: target })
    expect(db.listExperiments().map((e) => e.name)).toEqual(['mine'])
  })
})
