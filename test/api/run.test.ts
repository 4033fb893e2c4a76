import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Database, LOST_AFTER_MS, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

describe('runs', () => {
  let t: ReturnType<typeof tempDir>
  let db: Database
  beforeEach(() => {
    t = tempDir()
    db = new Database({ path: join(t.dir, 'm.db') })
  })
  afterEach(() => {
    db.close()
    t.cleanup()
  })

  it('starts TRAINING in its project with params, host and pid, and fails with the error kept in the notes', () => {
    const run = db.startRun({ name: 'r1', project: 'iris', params: { lr: 0.01 }, tags: { who: 'me' }, handleExit: false })
    const e = db.getExperiment('r1')
    expect(e).toMatchObject({ project: 'iris', status: 'TRAINING', pid: process.pid, params: { lr: 0.01 }, tags: { who: 'me' } })
    expect(e.host).toBeTruthy()
    run.fail(new Error('CUDA out of memory'))
    expect(db.getExpStatus('r1')).toBe('FAILED')
    expect(db.getNotes('r1')).toMatch(/CUDA out of memory/)
  })

  it('refuses to start a run under a name already taken', () => {
    db.setExpStatus('taken', 'COMPLETE')
    expect(() => db.startRun({ name: 'taken', handleExit: false })).toThrow(ValidationError)
    expect(db.getExpStatus('taken')).toBe('COMPLETE')
  })

  it('reads LOST when an active experiment has not beaten for over a minute, and back when it does', () => {
    const run = db.startRun({ name: 'r2', handleExit: false })
    const old = Date.now() - LOST_AFTER_MS - 5000
    db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'r2')
    expect(db.getExpStatus('r2')).toBe('LOST')
    expect(db.listExperiments({ status: 'LOST' }).map((e) => e.name)).toEqual(['r2'])
    expect(db.listExperiments({ where: "status = 'LOST'" }).map((e) => e.name)).toEqual(['r2'])
    db.heartbeat('r2')
    expect(db.getExpStatus('r2')).toBe('TRAINING')
    run.finish()
    db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'r2')
    expect(db.getExpStatus('r2')).toBe('COMPLETE')
  })

  it('moves experiments to the trash and back, and purges them for good', () => {
    db.addMetricValue('x', 'loss', 0, 1)
    db.trashExperiment('x')
    expect(db.listExperiments().map((e) => e.name)).toEqual([])
    expect(db.listExperiments({ trashed: true }).map((e) => e.name)).toEqual(['x'])
    expect(() => db.addMetricValue('x', 'loss', 1, 1)).toThrow(/in the trash/)
    db.restoreExperiment('x')
    expect(db.getMetricValues('x', 'loss')).toHaveLength(1)
    db.purgeExperiment('x')
    expect(db.query('SELECT (SELECT count(*) FROM points) + (SELECT count(*) FROM series) AS n')).toEqual([{ n: 0 }])
  })

  it('writes nothing when startRun is rejected, so the same name can be used again', () => {
    expect(() => db.startRun({ name: 'r3', params: { lr: Number.NaN }, handleExit: false })).toThrow(ValidationError)
    expect(db.countExperiments()).toBe(0)
    const run = db.startRun({ name: 'r3', params: { lr: 0.1 }, handleExit: false })
    expect(db.getParams('r3')).toEqual({ lr: 0.1 })
    run.finish()
  })

  it('marks a run FAILED when its script crashes after `using db` has closed the database', () => {
    const script = join(t.dir, 'crash.ts')
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
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, join(t.dir, 'm.db')], {
      encoding: 'utf8',
      cwd: resolve(import.meta.dirname, '../..'),
    })
    expect(child.status).toBe(1)
    expect(child.stderr).toMatch(/exploding gradient/)
    expect(db.getExpStatus('crashy')).toBe('FAILED')
    expect(db.getNotes('crashy')).toMatch(/exploding gradient/)
  })

  it('keeps logging correctly after another process purged an experiment it had written to', () => {
    const other = new Database({ path: db.path })
    db.addMetricValue('p', 'loss', 0, 1)
    db.setExpStatus('p', 'TRAINING')
    other.purgeExperiment('p')
    other.close()
    db.addMetricValue('p', 'loss', 1, 2)
    db.setExpStatus('p', 'COMPLETE')
    expect(db.getMetricValues('p', 'loss').map((x) => x.value)).toEqual([2])
    expect(db.getExpStatus('p')).toBe('COMPLETE')
  })

  it('forgets ids made inside a caller transaction that rolled back', () => {
    expect(() =>
      db.sqlite.transaction(() => {
        db.addMetricValue('rolled', 'loss', 0, 1)
        throw new Error('abort')
      })(),
    ).toThrow('abort')
    db.addMetricValue('rolled', 'loss', 1, 5)
    expect(db.getMetricValues('rolled', 'loss').map((x) => x.value)).toEqual([5])
  })

  it('keeps a seed-style experiment (no Run) alive while its connection is open, until a final status', () => {
    vi.useFakeTimers()
    try {
      db.setExpStatus('seed', 'TRAINING')
      const old = Date.now() - LOST_AFTER_MS - 5000
      const age = () => db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, 'seed')
      age()
      expect(db.getExpStatus('seed')).toBe('LOST')
      vi.advanceTimersByTime(16_000)
      expect(db.getExpStatus('seed')).toBe('TRAINING')
      db.setExpStatus('seed', 'COMPLETE')
      db.setExpStatus('seed2', 'TRAINING')
      db.sqlite.prepare('UPDATE experiments SET status = ? WHERE name = ?').run('TRAINING', 'seed')
      age()
      vi.advanceTimersByTime(16_000)
      expect(db.getExpStatus('seed')).toBe('LOST')
    } finally {
      vi.useRealTimers()
    }
  })
})
