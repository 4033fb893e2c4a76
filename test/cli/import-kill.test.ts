// `mldb import` killed with SIGKILL half-way (issue 8 item 10: 7 of 12 kills left
// a partial import that a rerun refused): after each kill the database holds
// nothing of the source or all of it, and rerunning the import completes it
// without duplicates.
import { spawn } from 'node:child_process'
import { createWriteStream, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, tempHome } from './helpers.js'

const EXPERIMENTS = 40
const POINTS = 4000

function walSize(db: string): number {
  try {
    return statSync(`${db}-wal`).size
  } catch {
    return 0
  }
}

/** What the database holds of the source: experiments, and points per experiment. */
function contents(db: string): { experiments: number; points: number[] } {
  using d = new Database({ path: db, readonly: true })
  const list = d.listExperiments()
  return { experiments: list.length, points: list.map((e) => e.series.loss?.count ?? 0) }
}

describe('mldb import killed with SIGKILL', () => {
  const t = tempHome()
  const source = join(t.home, 'source.jsonl')
  beforeAll(async () => {
    buildCli()
    const out = createWriteStream(source)
    for (let e = 0; e < EXPERIMENTS; e++) {
      const lines: string[] = [JSON.stringify({ record: 'experiment', experiment: `imp-${e}`, project: 'imp', status: 'COMPLETE', createdAt: 1000 })]
      for (let s = 0; s < POINTS; s++)
        lines.push(JSON.stringify({ record: 'point', experiment: `imp-${e}`, series: 'loss', step: s, time: 2000 + s, value: 1 / (s + 1) }))
      out.write(`${lines.join('\n')}\n`)
    }
    await new Promise<void>((resolve) => out.end(resolve))
  })
  afterAll(() => t.cleanup())

  it('leaves nothing or everything, and a rerun completes it without duplicates', async () => {
    let killedMidWrite = 0
    // Kill once the import's transaction has written this much to the -wal.
    for (const [round, walBytes] of [64 * 1024, 512 * 1024, 2 * 1024 * 1024, 5 * 1024 * 1024].entries()) {
      const db = join(t.home, `round-${round}.db`)
      new Database({ path: db }).close()
      const child = spawn(process.execPath, [buildCli(), 'import', source, '--db', db], {
        env: { PATH: process.env.PATH ?? '', HOME: t.home },
        stdio: 'ignore',
      })
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)))
      let running = true
      void exited.then(() => {
        running = false
      })
      while (running && walSize(db) < walBytes) await new Promise((r) => setTimeout(r, 2))
      const wasRunning = running
      child.kill('SIGKILL')
      await exited
      const after = contents(db)
      expect({ round, experiments: [0, EXPERIMENTS].includes(after.experiments) }).toEqual({ round, experiments: true })
      if (after.experiments === EXPERIMENTS) continue // it had finished
      if (wasRunning) killedMidWrite++
      const rerun = mldb(t.home, ['import', source, '--db', db])
      expect(rerun.stderr).toMatch(/imported 40 experiments and 160000 points/)
      expect(rerun.status).toBe(0)
      const done = contents(db)
      expect(done.experiments).toBe(EXPERIMENTS)
      expect(done.points.every((n) => n === POINTS)).toBe(true)
    }
    expect(killedMidWrite).toBeGreaterThanOrEqual(2)
  })
})
