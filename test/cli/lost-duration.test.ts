import { afterAll, beforeAll, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, ok, tempHome } from './helpers.js'

// A run started an hour ago whose process died ten minutes in: `mldb ls` and
// `mldb show` say LOST and 10m, not an hour that keeps growing.
const t = tempHome()
afterAll(() => t.cleanup())

beforeAll(() => {
  buildCli()
  {
    using db = new Database({ path: t.db })
    db.setExpStatus('lost-run', 'TRAINING')
  }
  using db = new Database({ path: t.db })
  const started = Date.now() - 3_600_000
  db.sqlite
    .prepare("UPDATE experiments SET started_at = ?, heartbeat_at = ?, updated_at = ? WHERE name = 'lost-run'")
    .run(started, started + 600_000, started + 600_000)
})

it("mldb ls and show stop a LOST run's duration at its last heartbeat", () => {
  expect(ok(t.home, ['ls', '--columns', 'name,status,duration', '--db', t.db])).toMatch(/lost-run\s+LOST\s+10m 00s/)
  expect(ok(t.home, ['show', 'lost-run', '--db', t.db])).toMatch(/status LOST\s+started .*\s+duration 10m 00s/)
})
