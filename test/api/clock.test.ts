import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database, LOST_AFTER_MS, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('a connection with its own clock', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  it('writes its times and reads LOST by it, so a test moves time on instead of editing columns', () => {
    let now = Date.UTC(2026, 7, 3, 9, 17, 2)
    using db = new Database({ path: join(t.dir, 'c.db'), clock: () => now })
    db.setExpStatus('e', 'TRAINING')
    db.addLossValue('e', 'train', 0, 0.5)
    expect(db.getExperiment('e')).toMatchObject({ createdAt: now, startedAt: now, heartbeatAt: now })
    expect(db.getLossValues('e', 'train')).toEqual([{ step: 0, time: now, value: 0.5 }])

    now += LOST_AFTER_MS + 1
    expect(db.getExpStatus('e')).toBe('LOST')
    expect(db.listExperiments({ where: "status = 'LOST'" }).map((x) => x.name)).toEqual(['e'])
    expect(db.countExperiments({ status: 'lost' })).toBe(1)

    // Logging is a sign of life: the run is back.
    db.addLossValue('e', 'train', 1, 0.4)
    expect(db.getExpStatus('e')).toBe('TRAINING')
    now += 5_000
    db.setExpStatus('e', 'COMPLETE')
    expect(db.getStatusHistory('e').map((h) => [h.status, h.time])).toEqual([
      ['TRAINING', now - 5_000 - LOST_AFTER_MS - 1],
      ['COMPLETE', now],
    ])
    expect(db.getExperiment('e').durationMs).toBe(LOST_AFTER_MS + 1 + 5_000)
  })

  it('is refused when it is not a function', () => {
    expect(() => new Database({ path: join(t.dir, 'd.db'), clock: 5 as unknown as () => number })).toThrow(ValidationError)
  })
})
