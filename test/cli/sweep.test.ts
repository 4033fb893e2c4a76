import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { mldb, ok, tempHome } from './helpers.js'

const h = tempHome()
afterAll(() => h.cleanup())
const trainer = join(import.meta.dirname, '..', 'sweep', 'children', 'train-trial.ts')
const env = { MLDB_DB_PATH: h.db }

describe('mldb sweep', () => {
  it('create prints the name; agent runs the unchanged script once per trial, which joins its trial; show and ls report', () => {
    const yaml = join(h.home, 'sweep.yaml')
    writeFileSync(
      yaml,
      `program: ${trainer}
method: bayes
metric: {name: valid/loss, goal: minimize}
run_cap: 3
parameters:
  x: {min: 0.0, max: 1.0}
  opt:
    parameters:
      lr: {values: [0.1]}
`,
    )
    expect(ok(h.home, ['sweep', 'create', yaml, '--project', 'hpo'], { env }).trim()).toBe('sweep')
    const agent = ok(h.home, ['sweep', 'agent', 'sweep', '--count', '2'], { env })
    expect(agent).toMatch(/trained sweep-0 x=0\.\d+ env=sweep/)
    expect(agent).toMatch(/--opt\.lr=0\.1/)
    {
      using db = new Database({ path: h.db })
      // the script's startRun() joined the trial: no other experiment was made
      expect(
        db
          .listExperiments()
          .map((e) => e.name)
          .sort(),
      ).toEqual(['sweep-0', 'sweep-1'])
      const e = db.getExperiment('sweep-0')
      expect(e).toMatchObject({ status: 'COMPLETE', project: 'hpo', tags: { 'mldb.sweep': 'sweep' } })
      expect(e.params.opt).toEqual({ lr: 0.1 })
      expect(db.getMetricValues('sweep-0', 'loss', { split: 'valid' })).toHaveLength(3)
    }
    const shown = JSON.parse(ok(h.home, ['sweep', 'show', 'sweep', '--json'], { env })) as {
      trials: { value: number }[]
      best: { value: number }
      complete: number
    }
    expect(shown.complete).toBe(2)
    expect(shown.best.value).toBe(Math.min(...shown.trials.map((t) => t.value)))
    expect(ok(h.home, ['sweep', 'ls'], { env })).toMatch(/sweep\s+hpo\s+bayes\s+valid\/loss \(min\)\s+RUNNING\s+2\/3/)
    // a file named by MLDB_DB_PATH wins over a configured team server, as for `mldb ls`
    const withServer = { ...env, MLDB_SERVER: 'http://127.0.0.1:9/', MLDB_TOKEN: 'x' }
    expect(ok(h.home, ['sweep', 'ls'], { env: withServer })).toMatch(/sweep\s+hpo\s+bayes/)
    expect(ok(h.home, ['model', 'ls'], { env: withServer })).toMatch(/no registered models/)
    // the rest of the cap, then nothing
    ok(h.home, ['sweep', 'agent', 'sweep'], { env })
    expect(ok(h.home, ['sweep', 'agent', 'sweep'], { env })).toMatch(/sweep sweep: 3 trials/)
  })

  it('agent with a command after --; a failing program fails its trial; stop ends the sweep', () => {
    const json = join(h.home, 'g.json')
    writeFileSync(
      json,
      JSON.stringify({ name: 'g', method: 'grid', metric: { name: 'valid/loss' }, parameters: { x: { values: [0.5] }, fail: { values: [1] } } }),
    )
    ok(h.home, ['sweep', 'create', json], { env })
    const r = ok(h.home, ['sweep', 'agent', 'g', '--', process.execPath, '--import', 'tsx', trainer], { env })
    expect(r).toMatch(/trial 0 FAILED/)
    using db = new Database({ path: h.db })
    expect(db.getExpStatus('g-0')).toBe('FAILED')
    ok(h.home, ['sweep', 'create', json, '--name', 'g2'], { env })
    expect(ok(h.home, ['sweep', 'stop', 'g2'], { env })).toMatch(/stopped/)
    expect(ok(h.home, ['sweep', 'agent', 'g2', '--', 'false'], { env })).toMatch(/0 trials/)
  })

  it('a bad config: one line naming the key, exit 1, no sweep written', () => {
    const bad = join(h.home, 'bad.yaml')
    writeFileSync(bad, 'name: bad\nmetric: {name: loss}\nparameters:\n  lr: {min: 0.1, max: 0.01}\n')
    const r = mldb(h.home, ['sweep', 'create', bad], { env })
    expect(r.status).not.toBe(0)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/parameters\.lr\.max: must be greater than min/)
    const missing = mldb(h.home, ['sweep', 'show', 'bad'], { env })
    expect(missing.stderr).toMatch(/no sweep named "bad"/)
  })
})
