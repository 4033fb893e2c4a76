// `mldb doctor` checks registered model versions like recorded files: a version
// whose file is gone or whose bytes no longer have the registered sha256 is named.
import { rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, tempHome } from './helpers.js'

describe('mldb doctor and model versions', () => {
  let t: ReturnType<typeof tempHome>
  let w1: string
  let w2: string
  beforeEach(() => {
    buildCli()
    t = tempHome()
    w1 = join(t.home, 'w1.bin')
    w2 = join(t.home, 'w2.bin')
    writeFileSync(w1, 'weights one')
    writeFileSync(w2, 'weights two')
    using db = new Database({ path: t.db, server: '' })
    db.addFile('e1', w1, { kind: 'model' })
    db.addFile('e2', w2, { kind: 'model' })
    db.registerModel('iris', { exp: 'e1' })
    db.registerModel('iris', { exp: 'e2', aliases: ['champion'] })
  })
  afterEach(() => t.cleanup())

  it('all as registered: exit 0 and a line saying so', () => {
    const r = mldb(t.home, ['doctor', '--db', t.db])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/ok\s+2 model versions as registered/)
  })

  it('a missing file and a file changed at the same size: exit 1, each named by model and version', () => {
    rmSync(w1)
    writeFileSync(w2, 'weights TWO') // same size, new bytes
    const r = mldb(t.home, ['doctor', '--db', t.db])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(`missing file of model iris version 1: ${w1}`)
    expect(r.stdout).toContain(`changed file of model iris version 2: ${w2}`)
    const j = JSON.parse(mldb(t.home, ['doctor', '--json', '--db', t.db]).stdout)
    expect(j.ok).toBe(false)
    expect(j.models).toEqual([
      { model: 'iris', version: 1, path: w1, problem: 'missing' },
      { model: 'iris', version: 2, path: w2, problem: 'changed' },
    ])
  })

  it('bytes changed under the old mtime: --hash finds it', () => {
    const st = statSync(w2)
    writeFileSync(w2, 'weights TWO')
    utimesSync(w2, st.atime, st.mtime)
    expect(mldb(t.home, ['doctor', '--db', t.db]).status).toBe(0)
    const r = mldb(t.home, ['doctor', '--hash', '--db', t.db])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(`changed file of model iris version 2: ${w2}`)
  })

  it('a version whose experiment was purged is still checked from its own copy of the path', () => {
    using db = new Database({ path: t.db, server: '' })
    db.purgeExperiment('e1')
    db.close()
    rmSync(w1)
    const r = mldb(t.home, ['doctor', '--json', '--db', t.db])
    expect(JSON.parse(r.stdout).models).toEqual([{ model: 'iris', version: 1, path: w1, problem: 'missing' }])
  })
})
