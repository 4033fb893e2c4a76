import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, configuredDirections, Database, seriesDirection, ValidationError } from '../../src/index.js'

const shared = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/series-directions.json'), 'utf8')) as {
  examples: Record<string, 'min' | 'max'>
}

describe('seriesDirection: one rule for which way a series is optimised', () => {
  const home = mkdtempSync(join(tmpdir(), 'mldb-dir-'))
  const oldHome = process.env.HOME
  beforeAll(() => {
    process.env.HOME = home // no config file unless a test writes one
  })
  afterEach(() => rmSync(join(home, '.mldb_config.json'), { force: true }))
  afterAll(() => {
    process.env.HOME = oldHome
    rmSync(home, { recursive: true, force: true })
  })

  it('gives every example of the shared word list its direction (the Python client checks the same list)', () => {
    expect(Object.keys(shared.examples).length).toBeGreaterThan(10)
    for (const [key, dir] of Object.entries(shared.examples)) expect([key, seriesDirection(key)]).toEqual([key, dir])
  })

  it('loss-like names min, accuracy-like max, unknown names min', () => {
    expect(['valid/loss', 'train/rmse', 'mae', 'val_perplexity'].map((k) => seriesDirection(k))).toEqual(['min', 'min', 'min', 'min'])
    expect(['valid/acc', 'train/accuracy', 'f1', 'auc', 'valid/precision', 'recall', 'miou', 'mAP', 'bleu'].map((k) => seriesDirection(k))).toEqual(
      Array(9).fill('max'),
    )
    expect(seriesDirection('learning_rate')).toBe('min')
  })

  it('a choice by key wins over one by name, which wins over the words', () => {
    const dirs = { 'valid/score': 'min', loss: 'max' } as const
    expect(seriesDirection('valid/score', dirs)).toBe('min')
    expect(seriesDirection('train/score', dirs)).toBe('max') // the words: score is higher-is-better
    expect(seriesDirection('train/loss', dirs)).toBe('max')
  })

  it('reads "directions" from the config file, and the Database option wins over it', () => {
    const file = join(home, '.mldb_config.json')
    writeFileSync(file, JSON.stringify({ db_path: join(home, 'x.db'), directions: { 'valid/score': 'min', margin: 'max' } }))
    expect(configuredDirections()).toEqual({ 'valid/score': 'min', margin: 'max' })
    expect(seriesDirection('valid/score')).toBe('min')
    expect(seriesDirection('train/margin')).toBe('max')
    using db = new Database({ path: ':memory:', directions: { margin: 'min' } })
    expect(db.seriesDirection('valid/score')).toBe('min')
    expect(db.seriesDirection('train/margin')).toBe('min')
    // a changed file is read again
    writeFileSync(file, JSON.stringify({ db_path: join(home, 'x.db'), directions: { 'valid/score': 'max' } }))
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    expect(seriesDirection('valid/score')).toBe('max')
  })

  it('refuses a direction that is not min or max, naming where it is', () => {
    writeFileSync(join(home, '.mldb_config.json'), JSON.stringify({ directions: { 'valid/score': 'up' } }))
    expect(() => seriesDirection('valid/score')).toThrow(ConfigError)
    expect(() => seriesDirection('valid/score')).toThrow(/"directions" in .*\.mldb_config\.json\["valid\/score"\] must be "min" or "max", got "up"/)
    rmSync(join(home, '.mldb_config.json'))
    expect(() => new Database({ path: ':memory:', directions: { acc: 'highest' as 'max' } })).toThrow(ValidationError)
    expect(() => new Database({ path: ':memory:', directions: ['max'] as never })).toThrow(ValidationError)
    expect(() => seriesDirection(42 as unknown as string)).toThrow(ValidationError)
  })
})

describe('bestExperiment: the direction by default, the file at the best step and the final one', () => {
  const t = mkdtempSync(join(tmpdir(), 'mldb-best-'))
  afterAll(() => rmSync(t, { recursive: true, force: true }))

  it('finds the highest accuracy without a mode, and the checkpoint at or before its step', () => {
    using db = new Database({ path: join(t, 'm.db') })
    const acc = (step: number) => (step <= 80 ? step / 100 : 0.8 - (step - 80) / 1000)
    for (let step = 0; step < 150; step++) {
      db.addMetricValue('a', 'acc', step, acc(step), { split: 'valid' })
      db.addLossValue('a', 'valid', step, 1 - acc(step))
      db.addMetricValue('b', 'acc', step, 0.5, { split: 'valid' })
      if (step % 20 === 0 || step === 75) {
        const f = join(t, `checkpoint-${String(step).padStart(4, '0')}.json`)
        writeFileSync(f, '{}')
        db.addFile('a', f, { kind: 'checkpoint', step })
      }
    }
    writeFileSync(join(t, 'model.json'), '{}')
    db.addFile('a', join(t, 'model.json'), { kind: 'model', step: 149 })
    const best = db.bestExperiment('valid/acc')
    expect(best).toMatchObject({ name: 'a', best: 0.8, mode: 'max', step: 80 })
    expect(best?.bestFile?.path).toBe(join(t, 'checkpoint-0080.json'))
    expect(best?.finalFile?.path).toBe(join(t, 'model.json'))
    // the best loss is at step 80 too; the mode given still wins
    expect(db.bestExperiment('valid/loss')).toMatchObject({ name: 'a', mode: 'min', step: 80 })
    expect(db.bestExperiment('valid/acc', 'min')).toMatchObject({ name: 'a', best: 0, mode: 'min', step: 0 })
    expect(db.bestExperiment('valid/acc', 'min')?.bestFile?.path).toBe(join(t, 'checkpoint-0000.json'))
    // between two checkpoints: the nearest before
    db.addMetricValue('c', 'acc', 85, 0.99, { split: 'valid' })
    for (const s of [60, 90]) {
      writeFileSync(join(t, `c-${s}.pt`), 'w')
      db.addFile('c', join(t, `c-${s}.pt`), { kind: 'checkpoint', step: s })
    }
    const c = db.bestExperiment('valid/acc')
    expect([c?.name, c?.step, c?.bestFile?.path, c?.finalFile?.path]).toEqual(['c', 85, join(t, 'c-60.pt'), join(t, 'c-90.pt')])
    // no files: both null
    expect(db.bestExperiment('valid/acc', 'max', { where: "name = 'b'" })).toMatchObject({ name: 'b', bestFile: null, finalFile: null })
  })
})
