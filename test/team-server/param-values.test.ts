// The team server's stores follow the params rule of both clients: setting a param again
// with the same value (as parsed JSON) is a no-op, a different one a ValidationError. Same
// cases as the clients: test/golden/param-values.json (PostgreSQL runs sql/pg/params/same-value.sql).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/errors.js'
import { BACKENDS } from './backends.js'

interface Case {
  name: string
  stored: string
  set: string
  same: boolean
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'param-values.json'), 'utf8')) as { cases: Case[] }
let seq = 0
const id = () => ({ client: 'c', seq: ++seq })

describe.each(BACKENDS)('setting a param again on $name', (backend) => {
  it('follows test/golden/param-values.json, keeping the stored text', async () => {
    const fresh = await backend.fresh()
    const { store } = fresh
    for (const [i, c] of golden.cases.entries()) {
      const exp = `e${i}`
      await store.createExperiment(id(), { name: exp, params: { p: 'placeholder' } })
      // as another writer stored it (Python, an older version, an import)
      await fresh.sql('UPDATE params SET value = $1 WHERE key = $2 AND experiment_id = (SELECT id FROM experiments WHERE name = $3)', [c.stored, 'p', exp])
      const set = store.setParams(id(), exp, { p: JSON.parse(c.set), other: 1 })
      if (c.same) await expect(set, c.name).resolves.toBeDefined()
      else await expect(set, c.name).rejects.toThrow(ValidationError)
      const e = await store.getExperiment(exp)
      expect(Object.keys(e.params).sort(), c.name).toEqual(c.same ? ['other', 'p'] : ['p'])
      expect(
        await fresh.sql("SELECT value FROM params WHERE key = 'p' AND experiment_id = (SELECT id FROM experiments WHERE name = $1)", [exp]),
        c.name,
      ).toEqual([{ value: c.stored }])
    }
  })
})
