import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Database, ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

/** What another connection sees of the file: experiments by name, with their point counts. */
function seenElsewhere(path: string): Record<string, number> {
  const other = new BetterSqlite3(path, { readonly: true })
  try {
    const rows = other
      .prepare('SELECT e.name, (SELECT count(*) FROM points p JOIN series s ON s.id = p.series_id WHERE s.experiment_id = e.id) AS n FROM experiments e')
      .all() as { name: string; n: number }[]
    return Object.fromEntries(rows.map((r) => [r.name, r.n]))
  } finally {
    other.close()
  }
}

describe('db.transaction', () => {
  const ctx = freshDatabasePerTest()

  it('lands every write call inside it together, when it returns', () => {
    const seen = ctx.db.transaction(() => {
      ctx.db.setParams('t', { lr: 0.1 })
      ctx.db.logBatch('t', [
        { name: 'loss', step: 0, value: 1 },
        { name: 'loss', step: 1, value: 0.5 },
      ])
      ctx.db.addMetricValue('t', 'acc', 0, 0.9)
      ctx.db.setExpStatus('t', 'COMPLETE')
      return seenElsewhere(ctx.db.path)
    })
    expect(seen).toEqual({})
    expect(seenElsewhere(ctx.db.path)).toEqual({ t: 3 })
    expect(ctx.db.getExperiment('t')).toMatchObject({ status: 'COMPLETE', params: { lr: 0.1 } })
  })

  it('writes nothing when its function throws, and the names stay free afterwards', () => {
    expect(() =>
      ctx.db.transaction(() => {
        ctx.db.setExpStatus('gone', 'TRAINING')
        ctx.db.addMetricValue('gone', 'loss', 0, 1)
        throw new Error('abort')
      }),
    ).toThrow('abort')
    expect(seenElsewhere(ctx.db.path)).toEqual({})
    // The ids cached inside were taken back with the rows: later calls find or create the right ones.
    ctx.db.setExpStatus('other', 'TRAINING')
    ctx.db.addMetricValue('gone', 'loss', 1, 5)
    expect(ctx.db.getMetricValues('gone', 'loss').map((p) => p.value)).toEqual([5])
    expect(ctx.db.getExpStatus('other')).toBe('TRAINING')
  })

  it('undoes only the rows of a refused call that the function catches', () => {
    ctx.db.transaction(() => {
      ctx.db.setParams('p', { lr: 0.1 })
      ctx.db.addMetricValue('p', 'loss', 0, 1)
      expect(() => ctx.db.setParams('p', { lr: 0.2, batch: 32 })).toThrow(ValidationError)
      ctx.db.setTags('p', { ok: 'yes' })
    })
    expect(ctx.db.getParams('p')).toEqual({ lr: 0.1 })
    expect(ctx.db.getTags('p')).toEqual({ ok: 'yes' })
    expect(ctx.db.getMetricValues('p', 'loss').map((x) => x.value)).toEqual([1])
  })

  it('nests as savepoints', () => {
    ctx.db.transaction(() => {
      ctx.db.addMetricValue('n', 'loss', 0, 1)
      expect(() =>
        ctx.db.transaction(() => {
          ctx.db.addMetricValue('n', 'loss', 1, 2)
          throw new Error('inner')
        }),
      ).toThrow('inner')
      ctx.db.transaction(() => ctx.db.addMetricValue('n', 'loss', 2, 3))
    })
    expect(ctx.db.getMetricValues('n', 'loss').map((x) => [x.step, x.value])).toEqual([
      [0, 1],
      [2, 3],
    ])
  })

  it('inside a transaction opened on db.sqlite, keeps no id past that transaction', () => {
    expect(() =>
      ctx.db.sqlite.transaction(() => {
        ctx.db.transaction(() => ctx.db.addMetricValue('outer', 'loss', 0, 1))
        throw new Error('outer abort')
      })(),
    ).toThrow('outer abort')
    // SQLite hands the rolled-back row's id to the next experiment: a kept id would write into it.
    ctx.db.setExpStatus('taken-id', 'TRAINING')
    ctx.db.setParams('outer', { lr: 1 })
    expect(ctx.db.getParams('taken-id')).toEqual({})
    expect(ctx.db.getParams('outer')).toEqual({ lr: 1 })
  })

  it('refuses an async function, writing nothing', () => {
    expect(() =>
      ctx.db.transaction((async () => {
        ctx.db.setExpStatus('async', 'TRAINING')
      }) as unknown as () => void),
    ).toThrow(/synchronous function/)
    expect(seenElsewhere(ctx.db.path)).toEqual({})
    expect(() => ctx.db.transaction('nope' as unknown as () => void)).toThrow(ValidationError)
  })

  it('is refused on a read-only connection', () => {
    ctx.db.setExpStatus('ro', 'COMPLETE')
    using ro = new Database({ path: ctx.db.path, readonly: true })
    expect(() => ro.transaction(() => 1)).toThrow(/read-only/)
    expect(ro.getExpStatus('ro')).toBe('COMPLETE')
  })
})

describe('heartbeat timers', () => {
  const ctx = freshDatabasePerTest()
  afterEach(() => {
    vi.useRealTimers()
  })

  it('beat one run on one timer, whether it sets VALIDATING or not', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const run = ctx.db.startRun({ name: 'r', handleExit: false })
    expect(vi.getTimerCount()).toBe(1)
    run.setStatus('VALIDATING')
    run.setStatus('TRAINING')
    expect(vi.getTimerCount()).toBe(1)
    ctx.db.setExpStatus('seed', 'TRAINING')
    expect(vi.getTimerCount()).toBe(2)
    run.finish()
    ctx.db.setExpStatus('seed', 'COMPLETE')
    expect(vi.getTimerCount()).toBe(0)
  })
})
