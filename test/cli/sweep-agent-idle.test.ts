// An agent that gets no trial says why in one line (a stopped sweep, a reached run_cap,
// a finished grid) instead of a bare "0 trials"; and a sweep file that is not YAML says
// where, without the parser's dangling "line 4, column 1:" before a code frame it cut.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mldb, ok, tempHome } from './helpers.js'

const h = tempHome()
afterAll(() => h.cleanup())
const env = { MLDB_DB_PATH: h.db }

function create(name: string, body: string): void {
  const file = join(h.home, `${name}.yaml`)
  writeFileSync(file, `program: /bin/true\nmetric: {name: loss, goal: minimize}\n${body}`)
  expect(ok(h.home, ['sweep', 'create', file, '--name', name], { env }).trim()).toBe(name)
}

describe('mldb sweep agent with nothing to run', () => {
  it('says the sweep is stopped', () => {
    create('halted', 'method: random\nparameters:\n  x: {min: 0.0, max: 1.0}\n')
    ok(h.home, ['sweep', 'stop', 'halted'], { env })
    const r = mldb(h.home, ['sweep', 'agent', 'halted'], { env })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('mldb: sweep halted is stopped (mldb sweep stop); start a new sweep to search on; no trial was run\n')
  })

  it('says a grid is done and a run_cap is reached, after the trials that used them up', () => {
    create('grid', 'method: grid\nparameters:\n  x: {values: [1, 2]}\n')
    expect(mldb(h.home, ['sweep', 'agent', 'grid'], { env }).stderr).toBe('')
    expect(mldb(h.home, ['sweep', 'agent', 'grid'], { env }).stderr).toBe('mldb: sweep grid has handed out every grid point; no trial was run\n')
    create('capped', 'method: random\nrun_cap: 1\nparameters:\n  x: {min: 0.0, max: 1.0}\n')
    expect(mldb(h.home, ['sweep', 'agent', 'capped'], { env }).stderr).toBe('')
    expect(mldb(h.home, ['sweep', 'agent', 'capped'], { env }).stderr).toBe('mldb: sweep capped has reached its run_cap of 1; no trial was run\n')
  })
})

it('a sweep file that is not YAML is named with the place of the mistake, and nothing dangles', () => {
  const file = join(h.home, 'broken.yaml')
  writeFileSync(file, 'method: grid\nparameters:\n  x: {values: [1, 2\nmetric: {name: loss}\n')
  const r = mldb(h.home, ['sweep', 'create', file], { env })
  expect(r.status).toBe(1)
  expect(r.stderr).toMatch(/^mldb: .*broken\.yaml is not valid YAML or JSON: .* at line 4, column 1\n$/)
})
