import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { parseJsonNumbers } from '../../src/json.js'
import { tempDir } from '../helpers/tmp.js'
import { pythonEnv } from '../python-interop/lib/python.js'

const tmp = tempDir('mldb-registry-interop-')
afterAll(() => tmp.cleanup())

/** Runs Python code with the checkout's mldb; `db` is open on `path`; prints what it returns as mldb JSON. */
function python(path: string, body: string): unknown {
  const code = `
import json, math, sys
from mldb import Database
def out(v):
    def fix(x):
        if isinstance(x, float) and not math.isfinite(x): return str(x).replace('nan', 'NaN').replace('inf', 'Infinity')
        if isinstance(x, dict): return {k: fix(y) for k, y in x.items()}
        if isinstance(x, list): return [fix(y) for y in x]
        return x
    print(json.dumps(fix(v)))
with Database(sys.argv[1]) as db:
${body
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`
  const r = spawnSync('python3', ['-c', code, path], { env: pythonEnv(), encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return parseJsonNumbers(r.stdout)
}

describe('the registry is one file format for TypeScript and Python', () => {
  const path = join(tmp.dir, 'shared.db')
  const weights = join(tmp.dir, 'model.json')
  writeFileSync(weights, 'weights')

  it('Python reads what TypeScript registered, NaN summaries included', () => {
    {
      using db = new Database({ path })
      db.setParams('ts-run', { lr: 0.1 })
      db.addLossValue('ts-run', 'valid', 0, 0.5)
      db.addLossValue('ts-run', 'valid', 1, Number.NaN)
      db.addFile('ts-run', weights, { kind: 'model' })
      db.registerModel('iris', { exp: 'ts-run', aliases: ['champion'] })
    }
    const v = python(path, "out(db.get_model_version('iris@champion'))") as Record<string, unknown>
    expect(v).toMatchObject({ name: 'iris', version: 1, exp: 'ts-run', aliases: ['champion'], params: { lr: 0.1 }, path: weights })
    const m = (v.metrics as Record<string, { min: number; last: number; last_step: number }>)['valid/loss']
    expect(m?.min).toBe(0.5)
    expect(m?.last).toBeNaN()
    expect(m?.last_step).toBe(1)
  })

  it('TypeScript reads what Python registered and moved', () => {
    python(
      path,
      `
db.register_model('iris', exp='ts-run', file='model.json')
db.set_model_alias('iris', 'champion', 2)
out(None)`,
    )
    using db = new Database({ path, readonly: true })
    const v = db.getModelVersion('iris@champion')
    expect(v).toMatchObject({ version: 2, exp: 'ts-run', params: { lr: 0.1 }, aliases: ['champion'] })
    expect(v.metrics['valid/loss']?.last).toBeNaN()
    expect(v.metrics['valid/loss']?.lastStep).toBe(1)
    expect(db.getModelHistory('iris').map((h) => [h.from, h.to])).toEqual([
      [null, 1],
      [1, 2],
    ])
    expect(db.verifyModel('iris/2').state).toBe('ok')
  })
})
