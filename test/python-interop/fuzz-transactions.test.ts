import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { toJson } from '../../src/json.js'
import { tempDir } from '../helpers/tmp.js'
import { runPython } from './lib/python.js'
import { flatSteps, randomProgram, runTsProgram, type Step } from './lib/tx-program.js'

// Differential fuzz (issue 9): random write calls in and out of transactions, nested,
// refused, rolled back by a throw (docs/schema.md, "Transactions"), run by TypeScript on
// one file and by Python on another. Replay a failure with
// MLDB_FUZZ_SEED=<seed> npx vitest run test/python-interop/fuzz-transactions.test.ts
const SEED = Number(process.env.MLDB_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const PROGRAMS = 6
const T = Date.UTC(2026, 7, 3, 9, 17, 2)

const tmp = tempDir('mldb-py-fuzz-tx-')
afterAll(() => tmp.cleanup())

/** Every row the writes leave, keyed by names rather than row ids (host and pid aside). */
function rows(path: string): Record<string, unknown[]> {
  // Opening and closing a connection folds the series' tails, as any reader does.
  new Database({ path, clock: () => T }).close()
  const db = new BetterSqlite3(path, { readonly: true })
  try {
    const q = (sql: string) => db.prepare(sql).raw().all()
    return {
      experiments: q(
        'SELECT e.name, p.name, e.status, e.created_at, e.started_at, e.ended_at, e.updated_at, e.heartbeat_at, e.notes FROM experiments e JOIN projects p ON p.id = e.project_id ORDER BY e.name',
      ),
      projects: q('SELECT name, created_at FROM projects ORDER BY name'),
      history: q('SELECT e.name, h.status, h.time FROM status_history h JOIN experiments e ON e.id = h.experiment_id ORDER BY e.name, h.id'),
      params: q('SELECT e.name, x.key, x.value FROM params x JOIN experiments e ON e.id = x.experiment_id ORDER BY e.name, x.key'),
      tags: q('SELECT e.name, x.key, x.value FROM tags x JOIN experiments e ON e.id = x.experiment_id ORDER BY e.name, x.key'),
      series: q(
        'SELECT e.name, s.name, s.split, s.count, s.first_step, s.last_step, s.last_time, s.last_value, s.min_value, s.max_value, s.nan_count, s.blocked_until, s.unblocked FROM series s JOIN experiments e ON e.id = s.experiment_id ORDER BY e.name, s.name, s.split',
      ),
      blocks: q(
        'SELECT e.name, s.name, s.split, b.first_step, b.last_step, b.count, b.min_value, b.max_value, b.last_value, b.nan_count FROM point_blocks b JOIN series s ON s.id = b.series_id JOIN experiments e ON e.id = s.experiment_id ORDER BY e.name, s.name, s.split, b.first_step',
      ),
      files: q(
        'SELECT e.name, f.path, f.kind, f.step, f.size, f.mtime, f.sha256, f.meta, f.created_at FROM file_pointers f JOIN experiments e ON e.id = f.experiment_id ORDER BY e.name, f.id',
      ),
      points: q(
        'SELECT e.name, s.name, s.split, p.step, p.seq, p.time, p.value FROM points p JOIN series s ON s.id = p.series_id JOIN experiments e ON e.id = s.experiment_id ORDER BY e.name, s.name, s.split, p.step, p.seq',
      ),
    }
  } finally {
    db.close()
  }
}

it(`random writes in and out of nested transactions leave the same rows and the same errors in both clients (seed ${SEED})`, () => {
  const files = ['model.pt', 'ckpt ü.bin', 'missing.pt'].map((f) => join(tmp.dir, f))
  writeFileSync(files[0] as string, 'weights')
  writeFileSync(files[1] as string, '')
  const runs: { path: string; program: Step[] }[] = []
  const tsLogs: string[][] = []
  for (let i = 0; i < PROGRAMS; i++) {
    const program = randomProgram(SEED + i, 40, files)
    const path = join(tmp.dir, `ts-${i}.db`)
    {
      using db = new Database({ path, clock: () => T })
      tsLogs.push(runTsProgram(db, program))
    }
    runs.push({ path: join(tmp.dir, `py-${i}.db`), program })
  }
  const pyLogs = JSON.parse(runPython(['tx-programs', String(T)], toJson(runs)).stdout) as string[][]
  // the programs must commit, refuse and roll back, or agreeing would prove little
  const all = tsLogs.flat()
  for (const o of ['ok', 'ValidationError', 'boom']) expect(all, `seed ${SEED}`).toContain(o)
  let fileRows = 0
  let blockRows = 0
  for (let i = 0; i < PROGRAMS; i++) {
    const replay = `MLDB_FUZZ_SEED=${SEED}, program ${i} (randomProgram(${SEED + i}, 40, files))`
    const first = tsLogs[i]?.findIndex((o, k) => pyLogs[i]?.[k] !== o) ?? -1
    const where = first < 0 ? '' : ` (first at step ${first}: ${JSON.stringify(flatSteps(runs[i]?.program ?? [])[first])})`
    expect(pyLogs[i], `${replay}: the outcomes of the calls${where}`).toEqual(tsLogs[i])
    const want = rows(join(tmp.dir, `ts-${i}.db`))
    fileRows += want.files?.length ?? 0
    blockRows += want.blocks?.length ?? 0
    expect(rows(runs[i]?.path as string), `${replay}: the rows`).toEqual(want)
  }
  // files recorded and blocks closed, or those paths went untested
  expect(fileRows, `seed ${SEED}`).toBeGreaterThan(0)
  expect(blockRows, `seed ${SEED}`).toBeGreaterThan(0)
})
