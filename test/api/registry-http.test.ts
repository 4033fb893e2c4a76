import { rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ErrorBody, expUrl, setupApp } from '../server/helpers.js'

type Versions = { versions: { name: string; version: number; exp: string; state: string; aliases: string[] }[] }

describe('the registry over HTTP (the Models page’s routes)', () => {
  let s: ReturnType<typeof setupApp>
  beforeEach(() => {
    s = setupApp()
    for (const e of ['a', 'b']) {
      const file = join(s.dir, `${e}.json`)
      writeFileSync(file, `weights ${e}`)
      s.db.addLossValue(e, 'valid', 0, e === 'a' ? 0.5 : 0.25)
      s.db.addFile(e, file, { kind: 'model' })
      s.db.registerModel('iris', { exp: e })
    }
    s.db.setModelAlias('iris', 'champion', 2)
  })
  afterEach(() => s.close())

  it('lists models, one model with versions, states and history, and an experiment’s versions', async () => {
    const list = await s.json<{ models: { name: string; latestVersion: number; aliases: Record<string, number> }[] }>('/api/models')
    expect(list.body.models).toMatchObject([{ name: 'iris', latestVersion: 2, aliases: { champion: 2 } }])
    // same size and mtime, other bytes: only a re-hash sees it
    const a = join(s.dir, 'a.json')
    const mtime = (s.db.getFiles('a')[0]?.mtime ?? 0) / 1000
    writeFileSync(a, 'weights A')
    utimesSync(a, mtime, mtime)
    rmSync(join(s.dir, 'b.json'))
    const one = await s.json<Versions & { history: unknown[] }>('/api/models/iris')
    expect(one.status).toBe(200)
    expect(one.body.versions.map((v) => [v.version, v.exp, v.state, v.aliases])).toEqual([
      [1, 'a', 'ok', []],
      [2, 'b', 'missing', ['champion']],
    ])
    expect(one.body.history).toHaveLength(1)
    const verified = await s.json<Versions>('/api/models/iris?verify=true')
    expect(verified.body.versions.map((v) => v.state)).toEqual(['changed', 'missing'])
    const ofExp = await s.json<Versions>(expUrl('b', '/models'))
    expect(ofExp.body.versions.map((v) => `${v.name}/${v.version}`)).toEqual(['iris/2'])
  })

  it('answers 404 and 400 with a JSON error', async () => {
    const missing = await s.json<ErrorBody>('/api/models/nope')
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
    expect(missing.body.error.message).toMatch(/no registered model named "nope"/)
    const bad = await s.json<ErrorBody>(`/api/models/${encodeURIComponent('bad name')}`)
    expect([bad.status, bad.body.error.code]).toEqual([400, 'bad_request'])
    const badQuery = await s.json<ErrorBody>('/api/models/iris?verify=maybe')
    expect(badQuery.status).toBe(400)
  })
})
