// One sweep, two clients: trials claimed from TypeScript and Python share the
// numbering, the grid and the run cap (the claim rules of docs/schema.md).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { pythonEnv } from './lib/python.js'

const tmp = tempDir('mldb-sweep-interop-')
afterAll(() => tmp.cleanup())

function py(code: string): string {
  const r = spawnSync('python3', ['-c', code], { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(r.stderr)
  return r.stdout.trim()
}

describe('sweeps shared by TypeScript and Python', () => {
  it('grid points, numbers and the cap hold across both clients; Python reads TS configs and back', () => {
    const path = join(tmp.dir, 's.db')
    using db = new Database({ path })
    const s = db.createSweep({ name: 'mix', method: 'grid', metric: { name: 'loss' }, parameters: { a: { values: [1, 2, 3, 4, 5] } }, run_cap: 4 })
    const first = s.ask()!
    first.finish(1)
    const fromPy = py(`
from mldb import Database
import json
with Database(${JSON.stringify(path)}) as db:
    s = db.get_sweep('mix')
    got = []
    s.optimize(lambda t: got.append([t.number, t.params['a']]) or 2.0, n_trials=2)
    print(json.dumps(got))
`)
    expect(JSON.parse(fromPy)).toEqual([
      [1, 2],
      [2, 3],
    ])
    const last = s.ask()!
    expect([last.number, last.params.a]).toEqual([3, 4])
    last.finish(0.5)
    expect(s.ask()).toBeNull()
    expect(s.best()).toMatchObject({ number: 3, value: 0.5 })
    py(`
from mldb import Database
with Database(${JSON.stringify(path)}) as db:
    db.create_sweep({'name': 'frompy', 'method': 'bayes', 'metric': {'name': 'acc', 'goal': 'maximize'},
                     'parameters': {'n': {'min': 1, 'max': 8}, 'lr': {'distribution': 'log_uniform_values', 'min': 1e-4, 'max': 1e-1}},
                     'run_cap': 2, 'seed': 4})
`)
    const p = db.getSweep('frompy')
    expect(p.config.parameters.n).toEqual({ distribution: 'int_uniform', min: 1, max: 8 })
    const t = p.ask()!
    expect(Number.isInteger(t.params.n)).toBe(true)
  })
})
