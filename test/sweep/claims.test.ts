import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database, LOST_AFTER_MS } from '../../src/index.js'
import { type Child, killAll, REPO_ROOT, startChild } from '../concurrency/lib/child.js'
import { tempDir } from '../helpers/tmp.js'

const worker = join(REPO_ROOT, 'test', 'sweep', 'children', 'sweep-worker.ts')
const tmp = tempDir('mldb-sweep-claims-')
const children: Child[] = []
afterAll(() => {
  killAll(children)
  tmp.cleanup()
})

describe('workers claim trials through the database', () => {
  it('16 processes on one file: exactly run_cap trials, unique numbers, each grid point once, no errors', async () => {
    const path = join(tmp.dir, 'claims.db')
    const CAP = 150
    {
      using db = new Database({ path })
      const values = Array.from({ length: 20 }, (_, i) => i)
      db.createSweep({ name: 'grid16', method: 'grid', metric: { name: 'v' }, parameters: { a: { values }, b: { values: values.slice(0, 10) } }, run_cap: CAP })
    }
    const mine = Array.from({ length: 16 }, () => startChild(worker, [path, 'grid16']))
    children.push(...mine)
    await Promise.all(mine.map((c) => c.waitFor((l) => l.includes('ready'))))
    for (const c of mine) c.proc.stdin.end('go\n')
    const exits = await Promise.all(mine.map((c) => c.exited))
    expect(exits.map((exit, i) => ({ ...exit, stderr: mine[i]!.stderr() }))).toEqual(mine.map(() => ({ code: 0, signal: null, stderr: '' })))
    const claimed = mine.flatMap((c) => JSON.parse(c.lines.find((l) => l.startsWith('numbers '))!.slice(8)) as number[])
    expect(claimed.sort((a, b) => a - b)).toEqual(Array.from({ length: CAP }, (_, i) => i))
    using db = new Database({ path })
    const trials = db.getSweep('grid16').trials()
    expect(trials).toHaveLength(CAP)
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(CAP)
    expect(trials.every((t) => t.status === 'COMPLETE' && t.value === t.number)).toBe(true)
    const grid = db.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT grid_index) AS d FROM trials')[0]
    expect(grid).toEqual({ n: CAP, d: CAP })
  })

  it('a killed worker: its trial reads LOST once the heartbeat is old, then FAILED and re-queued by the next ask', async () => {
    const path = join(tmp.dir, 'killed.db')
    {
      using db = new Database({ path })
      db.createSweep({ name: 'k', method: 'grid', metric: { name: 'v' }, parameters: { a: { values: [1, 2] } }, requeue_lost: true })
    }
    const c = startChild(worker, [path, 'k', 'hold'])
    children.push(c)
    await c.waitFor((l) => l.includes('ready'))
    c.proc.stdin.write('go\n')
    await c.waitFor((l) => l.some((x) => x.startsWith('claimed')))
    const exp = c.lines.find((l) => l.startsWith('claimed'))!.split(' ')[2]!
    c.proc.kill('SIGKILL')
    await c.exited
    using db = new Database({ path })
    expect(db.getExpStatus(exp)).toBe('TRAINING')
    // a minute without heartbeat, without waiting a minute
    const old = Date.now() - LOST_AFTER_MS - 1000
    db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, exp)
    expect(db.getExpStatus(exp)).toBe('LOST')
    const sweep = db.getSweep('k')
    const again = sweep.ask()!
    expect(db.getExpStatus(exp)).toBe('FAILED')
    expect(again.params).toEqual({ a: 1 })
    again.finish(1)
    expect(sweep.ask()?.params).toEqual({ a: 2 })
    expect(sweep.ask()).toBeNull()
    expect(sweep.summary()).toMatchObject({ trials: 3, complete: 1, failed: 1, running: 1 })
  })
})
