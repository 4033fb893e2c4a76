import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
const db = ['--db', t.db]

/** Accuracy rising to 0.8 at step 80, then overfitting; loss its mirror. */
const acc = (step: number) => (step <= 80 ? step / 100 : 0.8 - (step - 80) / 1000)

beforeAll(() => {
  buildCli()
  using d = new Database({ path: t.db })
  for (let step = 0; step < 150; step++) {
    d.logBatch('run-a', [
      { name: 'acc', split: 'valid', step, value: acc(step) },
      { name: 'acc', split: 'train', step, value: Math.min(1, acc(step) + 0.1) },
      { name: 'loss', split: 'valid', step, value: 1 - acc(step) },
    ])
    d.logBatch('run-b', [
      { name: 'acc', split: 'valid', step, value: 0.5 },
      { name: 'loss', split: 'valid', step, value: 0.5 },
    ])
    if (step % 10 === 0) {
      const f = join(t.home, `checkpoint-${String(step).padStart(4, '0')}.json`)
      writeFileSync(f, '{}')
      d.addFile('run-a', f, { kind: 'checkpoint', step })
    }
  }
  writeFileSync(join(t.home, 'model.json'), '{"final": true}')
  d.addFile('run-a', join(t.home, 'model.json'), { kind: 'model', step: 149 })
  d.setExpStatus('run-a', 'COMPLETE')
  d.setExpStatus('run-b', 'COMPLETE')
})

describe('mldb best', () => {
  it('shows the checkpoint at the best step and the final model beside it', () => {
    const out = ok(t.home, ['best', 'valid/acc', '--max', ...db])
    expect(out).toMatch(/^run-a\s+COMPLETE/)
    expect(out).toContain('max valid/acc = 0.8 at step 80')
    expect(out).toContain(`best  checkpoint ${join(t.home, 'checkpoint-0080.json')}  2 B step 80`)
    expect(out).toContain(`final model ${join(t.home, 'model.json')}  15 B step 149`)
    const j = JSON.parse(ok(t.home, ['best', 'valid/acc', '--max', '--json', ...db])) as {
      mode: string
      step: number
      bestFile: { path: string; step: number; problem: null }
      finalFile: { path: string; kind: string }
      files: { path: string }[]
    }
    expect([j.mode, j.step, j.bestFile.path, j.bestFile.step, j.bestFile.problem]).toEqual(['max', 80, join(t.home, 'checkpoint-0080.json'), 80, null])
    expect([j.finalFile.path, j.finalFile.kind]).toEqual([join(t.home, 'model.json'), 'model'])
    expect(j.files.map((f) => f.path)).toEqual([join(t.home, 'model.json')])
  })

  it('takes the direction from the series name: accuracy highest, loss lowest', () => {
    expect(ok(t.home, ['best', 'valid/acc', ...db])).toContain('max valid/acc = 0.8 at step 80')
    expect(ok(t.home, ['best', 'valid/loss', ...db])).toContain('min valid/loss = 0.2 at step 80')
    expect(ok(t.home, ['best', 'valid/acc', '--min', ...db])).toContain('min valid/acc = 0 at step 0')
    const both = mldb(t.home, ['best', 'valid/acc', '--min', '--max', ...db])
    expect([both.status, both.stderr]).toEqual([2, 'mldb: give --min or --max, not both\n'])
  })

  it('takes a direction chosen per series in the config file', () => {
    const home = join(t.home, 'configured')
    const cfg = { db_path: t.db, directions: { 'valid/acc': 'min' } }
    mkdirSync(home, { recursive: true })
    writeFileSync(join(home, '.mldb_config.json'), JSON.stringify(cfg))
    expect(ok(home, ['best', 'valid/acc'])).toContain('min valid/acc = 0 at step 0')
    expect(ok(home, ['best', 'train/acc'])).toContain('max train/acc')
    writeFileSync(join(home, '.mldb_config.json'), JSON.stringify({ ...cfg, directions: { acc: 'sideways' } }))
    const bad = mldb(home, ['best', 'valid/acc'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/^mldb: "directions" in .*\.mldb_config\.json\["acc"\] must be "min" or "max", got "sideways"\n$/)
  })

  it('suggests the series that exist when the name lacks its split', () => {
    const r = mldb(t.home, ['best', 'acc', ...db])
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', 'mldb: no experiment has a series "acc"; did you mean valid/acc or train/acc?\n'])
    expect(mldb(t.home, ['best', 'valid/Loss', ...db]).stderr).toBe('mldb: no experiment has a series "valid/Loss"; did you mean valid/loss?\n')
    expect(mldb(t.home, ['best', 'nothing', ...db]).stderr).toBe('mldb: no experiment has a series "nothing"; see the series of one with `mldb show EXP`\n')
  })
})

describe('mldb show and compare use the same direction', () => {
  it('show marks each series best as its min or max', () => {
    const out = ok(t.home, ['show', 'run-a', ...db])
    expect(out).toMatch(/valid\/acc\s+150\s+0\.\.149\s+0\.731\s+0\.8 \(max\)\s+0\s+0\.8/)
    expect(out).toMatch(/valid\/loss\s+150\s+0\.\.149\s+0\.269\s+0\.2 \(min\)\s+0\.2\s+1/)
    const j = JSON.parse(ok(t.home, ['show', 'run-a', '--json', ...db])) as { series: Record<string, { direction: string }> }
    expect([j.series['valid/acc']?.direction, j.series['valid/loss']?.direction]).toEqual(['max', 'min'])
  })

  it('compare shows an accuracy max and a loss min', () => {
    const out = ok(t.home, ['compare', 'run-a', 'run-b', ...db])
    expect(out).toMatch(/valid\/acc max\s+0\.8\s+0\.5/)
    expect(out).toMatch(/valid\/loss min\s+0\.2\s+0\.5/)
    expect(out).not.toMatch(/valid\/acc min/)
  })
})
