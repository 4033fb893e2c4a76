import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { Database, LOST_AFTER_MS, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

describe('runs', () => {
  const ctx = freshDatabasePerTest()

  it('starts TRAINING in its project with params, host and pid, and fails with the error kept in the notes', () => {
    const run = ctx.db.startRun({ name: 'r1', project: 'iris', params: { lr: 0.01 }, tags: { who: 'me' }, handleExit: false })
    const e = ctx.db.getExperiment('r1')
    expect(e).toMatchObject({ project: 'iris', status: 'TRAINING', pid: process.pid, params: { lr: 0.01 }, tags: { who: 'me' } })
    expect(e.host).toBe(hostname())
    run.fail(new Error('CUDA out of memory'))
    expect(ctx.db.getExpStatus('r1')).toBe('FAILED')
    expect(ctx.db.getNotes('r1')).toMatch(/CUDA out of memory/)
  })

  it('refuses to start a run under a name already taken', () => {
    ctx.db.setExpStatus('taken', 'COMPLETE')
    expect(() => ctx.db.startRun({ name: 'taken', handleExit: false })).toThrow(ValidationError)
    expect(ctx.db.getExpStatus('taken')).toBe('COMPLETE')
  })

  it('reads LOST when an active experiment has not beaten for over a minute, and back when it does', () => {
    let now = Date.now()
    using db = new Database({ path: join(ctx.dir, 'clock.db'), clock: () => now })
    const run = db.startRun({ name: 'r2', handleExit: false })
    now += LOST_AFTER_MS + 5000
    expect(db.getExpStatus('r2')).toBe('LOST')
    expect(db.listExperiments({ status: 'LOST' }).map((e) => e.name)).toEqual(['r2'])
    expect(db.listExperiments({ where: "status = 'LOST'" }).map((e) => e.name)).toEqual(['r2'])
    db.heartbeat('r2')
    expect(db.getExpStatus('r2')).toBe('TRAINING')
    run.finish()
    now += LOST_AFTER_MS + 5000
    expect(db.getExpStatus('r2')).toBe('COMPLETE')
  })

  it('moves experiments to the trash and back, and purges them for good', () => {
    ctx.db.addMetricValue('x', 'loss', 0, 1)
    ctx.db.trashExperiment('x')
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual([])
    expect(ctx.db.listExperiments({ trashed: true }).map((e) => e.name)).toEqual(['x'])
    expect(() => ctx.db.addMetricValue('x', 'loss', 1, 1)).toThrow(/in the trash/)
    ctx.db.restoreExperiment('x')
    expect(ctx.db.getMetricValues('x', 'loss')).toHaveLength(1)
    ctx.db.purgeExperiment('x')
    expect(ctx.db.query('SELECT (SELECT count(*) FROM points) + (SELECT count(*) FROM series) AS n')).toEqual([{ n: 0 }])
  })

  it('writes nothing when startRun is rejected, so the same name can be used again', () => {
    expect(() => ctx.db.startRun({ name: 'r3', params: { lr: Number.NaN }, handleExit: false })).toThrow(ValidationError)
    expect(ctx.db.countExperiments()).toBe(0)
    const run = ctx.db.startRun({ name: 'r3', params: { lr: 0.1 }, handleExit: false })
    expect(ctx.db.getParams('r3')).toEqual({ lr: 0.1 })
    run.finish()
  })

  it('marks a run FAILED when its script crashes after `using db` has closed the database', () => {
    const script = join(ctx.dir, 'crash.ts')
    const src = resolve(import.meta.dirname, '../../src/index.ts')
    writeFileSync(
      script,
      `import { Database } from ${JSON.stringify(src)}
function train() {
  using db = new Database({ path: process.argv[2] })
  const run = db.startRun({ name: 'crashy' })
  run.log({ loss: 1 }, { step: 0 })
  throw new Error('exploding gradient')
}
train()
`,
    )
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, join(ctx.dir, 'm.db')], {
      encoding: 'utf8',
      cwd: resolve(import.meta.dirname, '../..'),
    })
    expect(child.status).toBe(1)
    expect(child.stderr).toMatch(/exploding gradient/)
    expect(ctx.db.getExpStatus('crashy')).toBe('FAILED')
    expect(ctx.db.getNotes('crashy')).toMatch(/exploding gradient/)
  })

  it('keeps logging correctly after another process purged an experiment it had written to', () => {
    const other = new Database({ path: ctx.db.path })
    ctx.db.addMetricValue('p', 'loss', 0, 1)
    ctx.db.setExpStatus('p', 'TRAINING')
    other.purgeExperiment('p')
    other.close()
    ctx.db.addMetricValue('p', 'loss', 1, 2)
    ctx.db.setExpStatus('p', 'COMPLETE')
    expect(ctx.db.getMetricValues('p', 'loss').map((x) => x.value)).toEqual([2])
    expect(ctx.db.getExpStatus('p')).toBe('COMPLETE')
  })

  it('forgets ids made inside a caller transaction that rolled back', () => {
    expect(() =>
      ctx.db.sqlite.transaction(() => {
        ctx.db.addMetricValue('rolled', 'loss', 0, 1)
        throw new Error('abort')
      })(),
    ).toThrow('abort')
    ctx.db.addMetricValue('rolled', 'loss', 1, 5)
    expect(ctx.db.getMetricValues('rolled', 'loss').map((x) => x.value)).toEqual([5])
  })

  it('keeps a seed-style experiment (no Run) alive while its connection is open, until a final status', () => {
    vi.useFakeTimers()
    try {
      ctx.db.setExpStatus('seed', 'TRAINING')
      const old = Date.now() - LOST_AFTER_MS - 5000
      const age = () => ctx.db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'seed')
      age()
      expect(ctx.db.getExpStatus('seed')).toBe('LOST')
      vi.advanceTimersByTime(16_000)
      expect(ctx.db.getExpStatus('seed')).toBe('TRAINING')
      ctx.db.setExpStatus('seed', 'COMPLETE')
      ctx.db.setExpStatus('seed2', 'TRAINING')
      ctx.db.sqlite.prepare('UPDATE experiments SET status = ? WHERE name = ?').run('TRAINING', 'seed')
      age()
      vi.advanceTimersByTime(16_000)
      expect(ctx.db.getExpStatus('seed')).toBe('LOST')
    } finally {
      vi.useRealTimers()
    }
  })
})
