// The NaN rule of mldb's JSON outputs, from test/golden/json-numbers.json, for
// every reader: src/json.ts (CLI --json and server readers) and the dashboard's
// module (web/src/lib/api.ts parses every body with it); then end to end: what the HTTP API sends, read as the dashboard reads it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { parseJsonNumbers as dashboardParse } from '../../web/src/lib/json-numbers.js'
import { expUrl, setupApp } from '../server/helpers.js'

interface Case {
  name: string
  text: string
  numbers: string[]
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'json-numbers.json'), 'utf8')) as { cases: Case[] }

// JSON pointers where `revived` differs from `plain`, each checked to be the number its string spells
function changedPaths(plain: unknown, revived: unknown, path = ''): string[] {
  if (plain !== null && typeof plain === 'object') {
    expect(typeof revived).toBe('object')
    return Object.keys(plain).flatMap((k) => changedPaths((plain as Record<string, unknown>)[k], (revived as Record<string, unknown>)[k], `${path}/${k}`))
  }
  if (Object.is(plain, revived)) return []
  expect(typeof plain).toBe('string')
  expect(revived).toBe(Number(plain))
  return [path]
}

const readers: [string, (text: string) => unknown][] = [
  ['src/json.ts parseJsonNumbers', (t) => parseJsonNumbers(t)],
  ['the dashboard (web/src/lib/json-numbers.ts)', (t) => dashboardParse(t)],
]

describe.each(readers)('%s', (_name, read) => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(changedPaths(JSON.parse(c.text), read(c.text)).sort()).toEqual([...c.numbers].sort())
  })
})

describe('the dashboard reading the HTTP API', () => {
  let t: ReturnType<typeof setupApp>
  beforeEach(() => {
    t = setupApp()
    t.db.setExpStatus('x', 'TRAINING')
    t.db.setParams('x', { choice: ['a', 'b', 'NaN'], opt: { value: 'NaN' } })
    t.db.logBatch('x', [{ name: 'loss', split: 'valid', step: 0, value: Number.NaN, time: 1_000 }])
  })
  afterEach(() => t.close())

  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.request(url)
    expect(res.status).toBe(200)
    return dashboardParse<T>(await res.text())
  }

  it('keeps a param ["a","b","NaN"] and a param {"value":"NaN"} as the strings they are', async () => {
    const d = await get<{ params: Record<string, unknown> }>(expUrl('x'))
    expect(d.params).toEqual({ choice: ['a', 'b', 'NaN'], opt: { value: 'NaN' } })
    const list = await get<{ experiments: { params: Record<string, unknown> }[] }>('/api/experiments')
    expect(list.experiments[0]?.params).toEqual({ choice: ['a', 'b', 'NaN'], opt: { value: 'NaN' } })
  })

  it('turns a NaN point and a NaN last value back into NaN', async () => {
    const p = await get<{ points: [number, number, number][] }>(`${expUrl('x', '/points')}?series=valid/loss`)
    expect(p.points).toEqual([[0, 1_000, Number.NaN]])
    const s = await get<{ series: { last: number; nanCount: number }[] }>(expUrl('x', '/series'))
    expect(s.series[0]).toMatchObject({ last: Number.NaN, nanCount: 1 })
  })
})
