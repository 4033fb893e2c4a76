// `mldb export` / `mldb import` carry the model registry: models, versions with
// their evidence, aliases and their history come back the same in a fresh file.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

/** What `mldb model ls/show` are made of, minus the file record ids of each file. */
function registry(path: string) {
  using db = new Database({ path, server: '', readonly: true })
  return {
    models: db.listModels(),
    versions: db
      .listModelVersions()
      .map(({ fileId, ...v }) => ({ ...v, linked: fileId !== null && db.getFiles(v.exp).some((f) => f.id === fileId && f.path === v.path) })),
    history: db.listModels().map((m) => db.getModelHistory(m.name)),
  }
}

describe('export and import of the model registry', () => {
  let t: ReturnType<typeof tempHome>
  let src: string
  beforeEach(() => {
    buildCli()
    t = tempHome()
    src = t.db
    const w1 = join(t.home, 'w1.bin')
    const w2 = join(t.home, 'w2.bin')
    writeFileSync(w1, 'weights one')
    writeFileSync(w2, 'weights two')
    using db = new Database({ path: src, server: '' })
    db.logBatch('e1', [
      { name: 'loss', split: 'valid', step: 0, value: Number.NaN },
      { name: 'loss', split: 'valid', step: 1, value: 0.5 },
    ])
    db.setParams('e1', { lr: 0.1 })
    db.addFile('e1', w1, { kind: 'model' })
    db.addFile('e2', w2, { kind: 'model' })
    db.registerModel('iris', { exp: 'e1', aliases: ['staging'], description: 'first', tags: { team: 'vision' } })
    db.registerModel('iris', { exp: 'e2', aliases: ['champion'] })
    db.setModelAlias('iris', 'staging', 2)
    db.deleteModelAlias('iris', 'champion')
  })
  afterEach(() => t.cleanup())

  it('JSONL and CSV: a fresh file gets the same models, versions (linked to their files), aliases and alias history', () => {
    const before = registry(src)
    expect(before.versions).toHaveLength(2)
    for (const format of ['jsonl', 'csv']) {
      const out = join(t.home, `out.${format}`)
      expect(mldb(t.home, ['export', '--db', src, '-o', out]).stderr).toBe(`exported 2 experiments and 2 points (and 2 model versions) to ${out}\n`)
      const kinds = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (format === 'csv' ? l.split(',')[0] : JSON.parse(l).record))
      // the registry comes after the experiments and files it points at
      expect(kinds.lastIndexOf('file')).toBeLessThan(kinds.indexOf('model'))
      expect(kinds.filter((k) => k === 'model_version')).toHaveLength(2)
      const dst = join(t.home, `fresh-${format}.db`)
      const r = mldb(t.home, ['import', out, '--db', dst])
      expect(r.stderr).toBe('imported 2 experiments, 2 points, 1 model, 2 model versions and 1 alias\n')
      expect(r.status).toBe(0)
      expect(registry(dst)).toEqual(before)
      expect(ok(t.home, ['model', 'show', 'iris@staging', '--json', '--db', dst])).toBe(ok(t.home, ['model', 'show', 'iris@staging', '--json', '--db', src]))
      expect(ok(t.home, ['model', 'ls', '--json', '--db', dst])).toBe(ok(t.home, ['model', 'ls', '--json', '--db', src]))
    }
  })

  it('imported twice doubles nothing; a version whose file record is not in the import is one line, kept with its evidence', () => {
    const out = join(t.home, 'out.jsonl')
    ok(t.home, ['export', '--db', src, '-o', out])
    const dst = join(t.home, 'dst.db')
    ok(t.home, ['import', out, '--db', dst])
    const once = registry(dst)
    // the registry lines alone, imported again into the same file: nothing new
    const regOnly = join(t.home, 'registry.jsonl')
    writeFileSync(
      regOnly,
      `${readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"record":"model'))
        .join('\n')}\n`,
    )
    for (let i = 0; i < 2; i++) {
      const r = mldb(t.home, ['import', regOnly, '--db', dst])
      expect(r.status).toBe(0)
      expect(r.stderr).toBe('imported 0 experiments, 0 points, 0 models, 0 model versions and 0 aliases (already there: 2 model versions and 1 alias)\n')
      expect(registry(dst)).toEqual(once)
    }
    const json = mldb(t.home, ['import', regOnly, '--db', dst, '--json'])
    expect(JSON.parse(json.stdout)).toEqual({
      experiments: [],
      points: 0,
      skippedDeleted: 0,
      registry: { models: 0, versions: 0, aliases: 0, alreadyThere: { versions: 2, aliases: 1 }, leftOut: { versions: 0, aliases: 0 } },
    })
    // into a file without the experiments: one line per version, no crash, the evidence kept
    const bare = join(t.home, 'bare.db')
    const r = mldb(t.home, ['import', regOnly, '--db', bare])
    expect(r.status).toBe(0)
    const lines = r.stderr.trim().split('\n')
    expect(lines.filter((l) => /^model "iris" version [12]: the file record of .* is in neither the import nor this database/.test(l))).toHaveLength(2)
    // kept unlinked is written, not left out
    expect(lines.at(-1)).toBe('imported 0 experiments, 0 points, 1 model, 2 model versions and 1 alias')
    const got = registry(bare)
    expect(got.versions.map((v) => [v.version, v.expExists, v.linked, v.sha256, v.params])).toEqual(
      once.versions.map((v) => [v.version, false, false, v.sha256, v.params]),
    )
    expect(got.models.map((m) => m.aliases)).toEqual([{ staging: 2 }])
    expect(got.history).toEqual(once.history)
  })

  it('the whole export imported again is refused in one line, and its registry part is not applied either', () => {
    const out = join(t.home, 'out.jsonl')
    ok(t.home, ['export', '--db', src, '-o', out])
    const dst = join(t.home, 'twice.db')
    ok(t.home, ['import', out, '--db', dst])
    // moved since the first import: a half-applied second import would move it back and add a history line
    {
      using db = new Database({ path: dst, server: '' })
      db.setModelAlias('iris', 'staging', 1)
      db.deleteModelAlias('iris', 'staging')
    }
    const moved = registry(dst)
    const again = mldb(t.home, ['import', out, '--db', dst, '--json'])
    expect(again.status).not.toBe(0)
    expect(again.stdout).toBe('')
    expect(again.stderr.trim().split('\n')).toHaveLength(1)
    expect(again.stderr).toMatch(/2 experiments already exist in .*twice\.db \(e1, e2\); nothing was imported/)
    expect(registry(dst)).toEqual(moved)
  })

  it('a filtered export carries only the versions of the experiments it exports', () => {
    const out = join(t.home, 'e2.jsonl')
    ok(t.home, ['export', '--db', src, '--where', "name = 'e2'", '-o', out])
    const recs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(recs.filter((x) => x.record === 'model_version').map((x) => x.version)).toEqual([2])
    expect(recs.filter((x) => x.record === 'model_alias')).toEqual([{ record: 'model_alias', model: 'iris', alias: 'staging', version: 2 }])
  })

  it('a model the file already has: its own version under a taken number is kept, the rest comes in, each left-out one said in one line', () => {
    const out = join(t.home, 'out.jsonl')
    ok(t.home, ['export', '--db', src, '-o', out])
    const dst = join(t.home, 'own.db')
    const mine = join(t.home, 'mine.bin')
    writeFileSync(mine, 'my own weights')
    {
      using db = new Database({ path: dst, server: '' })
      db.addFile('mine', mine, { kind: 'model' })
      db.registerModel('iris', { exp: 'mine', aliases: ['prod'] })
    }
    const r = mldb(t.home, ['import', out, '--db', dst])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain(`model "iris" version 1 left out: this database's model "iris" has a version 1 of another file (${mine})`)
    expect(r.stderr.trim().split('\n').at(-1)).toBe('imported 2 experiments, 2 points, 0 models, 1 model version and 1 alias; left out: 1 model version')
    const got = registry(dst)
    expect(got.versions.map((v) => [v.version, v.exp, v.linked])).toEqual([
      [1, 'mine', true],
      [2, 'e2', true],
    ])
    expect(got.models[0]?.aliases).toEqual({ prod: 1, staging: 2 })
  })

  it('a registry record that is not valid: one line naming it and its line, nothing written', () => {
    const bad = join(t.home, 'bad.jsonl')
    writeFileSync(
      bad,
      `${JSON.stringify({ record: 'model', model: 'iris', description: '', tags: {}, createdAt: 1, updatedAt: 1 })}\n${JSON.stringify({ record: 'model_version', model: 'iris', version: 1, experiment: 'e1', path: '/x', sha256: 'nope', size: 1, registeredAt: 1 })}\n`,
    )
    const dst = join(t.home, 'bad.db')
    const r = mldb(t.home, ['import', bad, '--db', dst])
    expect(r.status).not.toBe(0)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/line 2: model_version "iris": sha256 must be 64 lower-case hex digits/)
    using db = new Database({ path: dst, server: '' })
    expect(db.listModels()).toEqual([])
  })
})
