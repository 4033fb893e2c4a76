// A script that ends with process.exit() and never calls close() still gets the
// bounded wait for its sender: what it logged reaches the server.
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { freshRoot, killAll, machine, serverPoints, startTeamServer } from './helpers.js'

const root = freshRoot()
afterAll(() => {
  killAll()
  rmSync(root, { recursive: true, force: true })
})

describe('process.exit() without close()', () => {
  it('waits for the sender and sends everything', async () => {
    const server = await startTeamServer(root)
    const file = join(root, 'exit.mjs')
    writeFileSync(
      file,
      `import { Database } from ${JSON.stringify(join(dirname(dirname(buildCli())), 'index.js'))}
const db = new Database()
db.setExpStatus('exits', 'TRAINING')
for (let i = 0; i < 3000; i++) db.addMetricValue('exits', 'loss', i, 1 / (i + 1))
db.setExpStatus('exits', 'COMPLETE')
process.exit(0)
`,
    )
    const m = machine(root, 'm')
    const r = spawnSync(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', HOME: m.home, MLDB_SERVER: server.url, MLDB_TOKEN: server.token, MLDB_SYNC_WAIT_MS: '30000' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect((await serverPoints(server, 'exits', 'loss')).length).toBe(3000)
  })
})
