// An export lists experiments in the order they were created, also when two were
// created in the same millisecond (a script creating runs in a loop): the listing's
// own tie rule puts the newer row first, which would swap them on every export.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportRecords } from '../../src/api/export.js'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

const tmp = tempDir('mldb-export-order-')
afterAll(() => tmp.cleanup())

describe('mldb export order', () => {
  it('keeps creation order for experiments created in the same millisecond', () => {
    using db = new Database({ path: join(tmp.dir, 'order.db'), server: '', clock: () => 1_800_000_000_000 })
    for (const name of ['first', 'second', 'third']) db.setExpStatus(name, 'COMPLETE')
    const names = [...exportRecords(db)].filter((r) => r.record === 'experiment').map((r) => (r as { experiment: string }).experiment)
    expect(names).toEqual(['first', 'second', 'third'])
  })
})
