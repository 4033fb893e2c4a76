// close() waits until the sender has sent what the script logged. A sender round that
// began before the last writes (and so found nothing new) but ended after close() was
// called must not count as "all sent": only a round that began after close() has seen
// every write. Before the fix the Python sender ended on such a round and left the points
// in the file; CI caught it once in test/sync/late-points.test.ts. The script below holds
// its first idle round open until close() is called, which makes the interleaving certain.
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, killAll, machine, onMachine, ROOT, serverPoints, startTeamServer, type TeamServer } from './helpers.js'

const root = freshRoot()
let server: TeamServer
beforeAll(async () => {
  buildCli()
  server = await startTeamServer(root)
})
afterAll(() => {
  killAll()
  rmSync(root, { recursive: true, force: true })
})

const script = `import threading
import mldb
from mldb import sync

idle_seen = threading.Event()
opened = threading.Event()
original = sync.Sender.step

def step(self, full=False):
    r = original(self, full)
    if r == "idle" and not idle_seen.is_set():
        # this round read the file before the points below were logged; let it end only once close() has begun
        idle_seen.set()
        opened.wait(10)
        db._sync._drain.wait(10)
    return r

sync.Sender.step = step
db = mldb.Database()
opened.set()
assert idle_seen.wait(30), "the sender never went idle"
for i in range(20):
    db.add_metric_value("late-close", "loss", i, i)
db.close()
`

it('a Python sender sends what was logged while its last idle round was running', async () => {
  const m = machine(root, 'py')
  const file = join(root, 'hold-idle.py')
  writeFileSync(file, script)
  const env = { MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '30000' }
  const r = spawnSync('python3', [file], {
    env: { PATH: process.env.PATH ?? '', HOME: m.home, PYTHONPATH: join(ROOT, 'python'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(r.status, r.stderr).toBe(0)
  expect((await serverPoints(server, 'late-close', 'loss')).length).toBe(20)
  const pending = JSON.parse(onMachine(m, ['sync', '--pending', '--json'], env).stdout) as { points: number }
  expect(pending.points).toBe(0)
})
