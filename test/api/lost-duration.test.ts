import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import type { ExperimentSummary } from '../../src/store/types.js'
import { tempDir } from '../helpers/tmp.js'

// A run started an hour ago whose process died ten minutes after starting: its
// heartbeat stopped, so it reads LOST, and its duration is the ten minutes it
// ran, not an hour that keeps growing.
const t = tempDir('mldb-lost-')
const path = join(t.dir, 'm.db')
const HOUR = 3_600_000
const RAN = 600_000
let started = 0

beforeAll(() => {
  // Written on a clock of the test's own, as the runs' processes would have: no column edited by hand.
  started = Date.now() - HOUR
  let now = started
  using db = new Database({ path, clock: () => now })
  db.setExpStatus('lost-run', 'TRAINING')
  db.setExpStatus('done-run', 'TRAINING')
  db.setExpStatus('done-run', 'COMPLETE')
  db.setExpStatus('live-run', 'TRAINING')
  now = started + RAN
  db.heartbeat('lost-run') // its last sign of life, ten minutes in
  // a run whose heartbeat is still fresh keeps counting up to now
  now = Date.now()
  db.heartbeat('live-run')
})
afterAll(() => t.cleanup())

describe("a LOST run's duration stops at its last heartbeat", () => {
  it('in the API listing and detail', () => {
    using db = new Database({ path, readonly: true })
    const lost = db.listExperiments({ name: 'lost-run' })[0]
    expect([lost?.status, lost?.durationMs]).toEqual(['LOST', RAN])
    expect(db.getExperiment('lost-run').durationMs).toBe(RAN)
    expect(db.getExperiment('live-run').durationMs).toBeGreaterThanOrEqual(HOUR)
  })

  it('in the filter field duration (seconds)', () => {
    using db = new Database({ path, readonly: true })
    const names = (where: string) => db.listExperiments({ where, orderBy: 'name' }).map((e) => e.name)
    expect(names('duration >= 3000')).toEqual(['live-run'])
    expect(names('duration = 600')).toEqual(['lost-run'])
    expect(db.listExperiments({ orderBy: 'duration desc' }).map((e) => e.name)).toEqual(['live-run', 'lost-run', 'done-run'])
  })

  it('in the HTTP listing the dashboard reads', async () => {
    using db = new Database({ path, readonly: true })
    const app = createApp({ db, webRoot: join(t.dir, 'no-web') })
    const res = await app.request('/api/experiments?where=name%20%3D%20%27lost-run%27')
    const body = (await res.json()) as { experiments: ExperimentSummary[] }
    expect(body.experiments.map((e) => [e.status, e.durationMs])).toEqual([['LOST', RAN]])
  })
})
