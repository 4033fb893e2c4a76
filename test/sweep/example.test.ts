// `npm start` (examples/sweep.ts): the Iris example as a real sweep (bayes, a pruner,
// two agents), and a check of the dashboard's port before a minute of training.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
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

  it('runs the Iris example as a bayes sweep with a Hyperband pruner through two agents, and prints the best trial and its model', () => {
    const db = join(tmp.dir, 'start.db')
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'examples', 'sweep.ts'), '--db', db, '--no-ui', '--trials', '4', '--epochs', '30', '--delay-ms', '0'],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 },
    )
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/TPE over lr and hidden, Hyperband pruning, 4 trials, 2 agents at once/)
    using d = new Database({ path: db })
    const [summary] = d.listSweeps()
    expect(summary).toMatchObject({ method: 'bayes', trials: 4, failed: 0, running: 0 })
    const sweep = d.getSweep(summary!.name)
    expect(sweep.config.earlyTerminate).toMatchObject({ type: 'hyperband' })
    expect(sweep.trials().every((t) => t.status === 'COMPLETE' || t.status === 'PRUNED')).toBe(true)
    // what it prints is the sweep's best trial, and that trial's model file
    const best = sweep.best()!
    expect(r.stdout).toContain(`mldb: best trial ${best.number} (${best.exp}): valid/loss ${best.value.toFixed(4)}`)
    const model = d.getFiles(best.exp, { kind: 'model' })[0]!
    expect(r.stdout).toContain(`mldb: its model: ${model.path}`)
    expect(existsSync(model.path)).toBe(true)
  })
})
