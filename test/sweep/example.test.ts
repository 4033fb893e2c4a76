// `npm start` (examples/sweep.ts) checks the dashboard's port before a minute of training.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../concurrency/lib/child.js'
import { tempDir } from '../helpers/tmp.js'

const tmp = tempDir('mldb-example-')
let server: Server | undefined
afterAll(() => {
  server?.close()
  tmp.cleanup()
})

describe('npm start', () => {
  it('stops at once with one line when the dashboard port is taken, before creating the sweep', async () => {
    const busy = createServer()
    server = busy
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)))
    const db = join(tmp.dir, 'x.db')
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'examples', 'sweep.ts'), '--db', db, '--port', String(port)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(`mldb: port ${port} is in use; pass --port N (or --no-ui)`)
    expect(existsSync(db)).toBe(false)
  })
})
