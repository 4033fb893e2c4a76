import { createHash } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Database, NotFoundError, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

/** An experiment with params, a valid/loss series and a recorded model file. */
function trained(db: Database, dir: string, exp: string, losses: number[], weights = `weights of ${exp}`): string {
  const path = join(dir, `${exp}-model.json`)
  writeFileSync(path, weights)
  db.setParams(exp, { lr: 0.01, hidden: [64, 64] })
  for (const [i, l] of losses.entries()) db.addLossValue(exp, 'valid', i, l)
  db.addFile(exp, path, { kind: 'model' })
  db.setExpStatus(exp, 'COMPLETE')
  return path
}

/** Every row of the registry tables, to show a rejected call wrote nothing. */
function registryRows(db: Database): unknown[] {
  return ['registered_models', 'model_versions', 'model_aliases', 'model_alias_history'].map((t) => db.query(`SELECT * FROM ${t}`))
}

describe('model registry', () => {
  const ctx = freshDatabasePerTest()

  it('registers versions 1, 2, ... with the file hash, size, params and series summaries', () => {
    const p1 = trained(ctx.db, ctx.dir, 'run-a', [0.9, 0.5, Number.NaN])
    trained(ctx.db, ctx.dir, 'run-b', [0.8, 0.3])
    const v1 = ctx.db.registerModel('iris-mlp', { exp: 'run-a', file: 'run-a-model.json', aliases: ['staging'], description: 'first try' })
    expect(v1).toMatchObject({
      name: 'iris-mlp',
      version: 1,
      aliases: ['staging'],
      path: p1,
      sha256: sha('weights of run-a'),
      size: 'weights of run-a'.length,
      exp: 'run-a',
      expExists: true,
      params: { lr: 0.01, hidden: [64, 64] },
      description: 'first try',
    })
    expect(v1.metrics['valid/loss']).toMatchObject({ count: 3, lastStep: 2, min: 0.5, max: 0.9 })
    expect(v1.metrics['valid/loss']?.last).toBeNaN()
    const v2 = ctx.db.registerModel('iris-mlp', { exp: 'run-b', file: join(ctx.dir, 'run-b-model.json') })
    expect(v2.version).toBe(2)
    expect(ctx.db.getModelVersion('iris-mlp').version).toBe(2)
    expect(ctx.db.getModelVersion('iris-mlp/1').exp).toBe('run-a')
    expect(ctx.db.getModelVersion('iris-mlp@staging').version).toBe(1)
    expect(ctx.db.getModelVersion('iris-mlp@latest').version).toBe(2)
    expect(ctx.db.listModels()).toMatchObject([{ name: 'iris-mlp', description: 'first try', latestVersion: 2, versionCount: 2, aliases: { staging: 1 } }])
    expect(ctx.db.listModelVersions('iris-mlp').map((v) => v.version)).toEqual([1, 2])
    expect(ctx.db.listModelVersions(undefined, { exp: 'run-b' }).map((v) => `${v.name}/${v.version}`)).toEqual(['iris-mlp/2'])
  })

  it('takes the experiment’s last model file when no file is named, and a recorded hash as is', () => {
    const path = trained(ctx.db, ctx.dir, 'run-a', [0.4])
    ctx.db.addFile('run-a', path, { kind: 'model', hash: true })
    const v = ctx.db.registerModel('m', { exp: 'run-a' })
    expect(v.sha256).toBe(sha('weights of run-a'))
  })

  it('registers the best experiment of a series in one call', () => {
    trained(ctx.db, ctx.dir, 'run-a', [0.9, 0.5])
    trained(ctx.db, ctx.dir, 'run-b', [0.8, 0.2])
    trained(ctx.db, ctx.dir, 'run-c', [0.1])
    ctx.db.setExpStatus('run-c', 'FAILED')
    expect(ctx.db.registerModel('m', { best: 'valid/loss' }).exp).toBe('run-c')
    expect(ctx.db.registerModel('m', { best: 'valid/loss', goal: 'min', where: "status = 'COMPLETE'" }).exp).toBe('run-b')
    expect(ctx.db.registerModel('m', { best: 'valid/loss', goal: 'max' }).exp).toBe('run-a')
    expect(() => ctx.db.registerModel('m', { best: 'valid/acc' })).toThrow(NotFoundError)
  })

  it('moves aliases in one step each and keeps who/when/from/to in the history', () => {
    for (const e of ['a', 'b', 'c']) trained(ctx.db, ctx.dir, e, [0.5])
    for (const e of ['a', 'b', 'c']) ctx.db.registerModel('m', { exp: e })
    ctx.db.setModelAlias('m', 'champion', 1)
    ctx.db.setModelAlias('m', 'champion', 3)
    ctx.db.setModelAlias('m', 'champion', 3) // no move, no history
    ctx.db.setModelAlias('m', 'staging', 2)
    ctx.db.deleteModelAlias('m', 'staging')
    expect(ctx.db.getModelVersion('m@champion').version).toBe(3)
    expect(ctx.db.getModelVersion('m/3').aliases).toEqual(['champion'])
    const history = ctx.db.getModelHistory('m')
    expect(history.map((h) => [h.alias, h.from, h.to])).toEqual([
      ['champion', null, 1],
      ['champion', 1, 3],
      ['staging', null, 2],
      ['staging', 2, null],
    ])
    expect(history[0]?.who).toMatch(/.@./)
    expect(history[0]?.time).toBeGreaterThan(0)
    expect(() => ctx.db.getModelVersion('m@staging')).toThrow(/no alias "staging"/)
  })

  it('verifies a version by re-hashing its file: ok, changed, missing', () => {
    const path = trained(ctx.db, ctx.dir, 'a', [0.5])
    ctx.db.registerModel('m', { exp: 'a', aliases: ['champion'] })
    expect(ctx.db.verifyModel('m@champion').state).toBe('ok')
    writeFileSync(path, 'other weights')
    expect(ctx.db.verifyModel('m@champion').state).toBe('changed')
    rmSync(path)
    expect(ctx.db.verifyModel('m').state).toBe('missing')
    expect(ctx.db.verifyModels().map((c) => c.state)).toEqual(['missing'])
  })

  it('keeps a version’s evidence after its experiment is purged, and never reuses a number', () => {
    trained(ctx.db, ctx.dir, 'a', [0.5, 0.25])
    ctx.db.registerModel('m', { exp: 'a' })
    ctx.db.trashExperiment('a')
    ctx.db.purgeExperiment('a')
    const v = ctx.db.getModelVersion('m/1')
    expect(v).toMatchObject({ exp: 'a', expExists: false, fileId: null, params: { lr: 0.01 } })
    expect(v.metrics['valid/loss']?.min).toBe(0.25)
    ctx.db.query('DELETE FROM model_versions') // even if a version row goes, its number is not given again
    trained(ctx.db, ctx.dir, 'b', [0.5])
    expect(ctx.db.registerModel('m', { exp: 'b' }).version).toBe(2)
  })

  it('refuses bad input with a typed error and writes nothing', () => {
    trained(ctx.db, ctx.dir, 'a', [0.5])
    ctx.db.registerModel('m', { exp: 'a', aliases: ['champion'] })
    writeFileSync(join(ctx.dir, 'other.json'), 'x')
    const before = registryRows(ctx.db)
    const bad: [() => unknown, typeof ValidationError | typeof NotFoundError, RegExp][] = [
      [() => ctx.db.registerModel('m', { exp: 'a', file: 'other.json' }), NotFoundError, /has no recorded file "other.json"/],
      [() => ctx.db.registerModel('m', { exp: 'a', file: join(ctx.dir, 'nowhere.bin') }), NotFoundError, /has no recorded file/],
      [() => ctx.db.registerModel('m', { exp: 'nope', file: 'a-model.json' }), NotFoundError, /no experiment named "nope"/],
      [() => ctx.db.registerModel('my model', { exp: 'a' }), ValidationError, /no spaces/],
      [() => ctx.db.registerModel('x'.repeat(129), { exp: 'a' }), ValidationError, /the limit is 128/],
      [() => ctx.db.registerModel('m', { exp: 'a', aliases: ['3'] }), ValidationError, /is a number/],
      [() => ctx.db.registerModel('m', { exp: 'a', aliases: ['ok', 'bad alias'] }), ValidationError, /alias "bad alias"/],
      [() => ctx.db.setModelAlias('m', '2', 1), ValidationError, /is a number/],
      [() => ctx.db.setModelAlias('nope', 'champion', 1), NotFoundError, /no registered model named "nope"/],
      [() => ctx.db.setModelAlias('m', 'champion', 7), NotFoundError, /has no version 7/],
      [() => ctx.db.deleteModelAlias('m', 'staging'), NotFoundError, /has no alias "staging"/],
      [() => ctx.db.getModelVersion('nope@champion'), NotFoundError, /no registered model/],
      [() => ctx.db.getModelVersion('m/0'), ValidationError, /whole number/],
      [() => ctx.db.getModelHistory('nope'), NotFoundError, /no registered model/],
    ]
    for (const [call, type, message] of bad) {
      expect(call).toThrow(type)
      expect(call).toThrow(message)
    }
    expect(registryRows(ctx.db)).toEqual(before)
  })

  it('refuses a recorded file that is gone or changed since it was recorded', () => {
    const path = trained(ctx.db, ctx.dir, 'a', [0.5])
    writeFileSync(path, 'retrained in place, longer')
    expect(() => ctx.db.registerModel('m', { exp: 'a' })).toThrow(/changed since experiment "a" recorded it/)
    rmSync(path)
    expect(() => ctx.db.registerModel('m', { exp: 'a' })).toThrow(NotFoundError)
    expect(ctx.db.listModels()).toEqual([])
  })
})

describe('model registry text', () => {
  const ctx = freshDatabasePerTest()

  it('refuses U+0000 in a description, tag key or tag value, naming it, and writes nothing', () => {
    trained(ctx.db, ctx.dir, 'run-a', [0.5])
    const problem = 'contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it'
    const before = registryRows(ctx.db)
    expect(() => ctx.db.registerModel('m', { exp: 'run-a', description: 'a\u0000b' })).toThrow(`description ${problem}`)
    expect(() => ctx.db.registerModel('m', { exp: 'run-a', tags: { 'k\u0000': 'v' } })).toThrow(`tag key ${problem}`)
    expect(() => ctx.db.registerModel('m', { exp: 'run-a', tags: { k: 'v\u0000' } })).toThrow(`tag "k" ${problem}`)
    expect(registryRows(ctx.db)).toEqual(before)
    ctx.db.registerModel('m', { exp: 'run-a', description: 'ok' })
    expect(() => ctx.db.updateModel('m', { description: 'a\u0000b' })).toThrow(`description ${problem}`)
    expect(ctx.db.listModels()[0]?.description).toBe('ok')
  })
})
