import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { tempDir } from '../helpers/tmp.js'

const t = tempDir('mldb-directions-')
afterAll(() => t.cleanup())

describe('GET /api/directions', () => {
  it('answers each series direction by the rule the CLI and API use, the Database option included', async () => {
    using db = new Database({ path: join(t.dir, 'm.db'), directions: { 'valid/score': 'min' } })
    const app = createApp({ db, webRoot: join(t.dir, 'no-web') })
    const res = await app.request('/api/directions?series=valid/acc&series=valid/loss&series=valid/score&series=train/score&series=top-1%20acc')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      directions: { 'valid/acc': 'max', 'valid/loss': 'min', 'valid/score': 'min', 'train/score': 'max', 'top-1 acc': 'max' },
    })
    expect(await (await app.request('/api/directions')).json()).toEqual({ directions: {} })
  })

  it('refuses an empty key or too many keys with a 400', async () => {
    using db = new Database({ path: join(t.dir, 'm.db') })
    const app = createApp({ db, webRoot: join(t.dir, 'no-web') })
    const empty = await app.request('/api/directions?series=')
    expect(empty.status).toBe(400)
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/name each series such as "valid\/acc"/)
    const many = await app.request(`/api/directions?${Array.from({ length: 1001 }, (_, i) => `series=s${i}`).join('&')}`)
    expect(many.status).toBe(400)
  })
})
