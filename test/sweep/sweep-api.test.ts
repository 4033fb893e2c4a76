import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Database, LOST_AFTER_MS, NotFoundError, ValidationError } from '../../src/index.js'
import { branin } from '../../src/sweep/test-functions.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const metric = { name: 'objective', goal: 'minimize' }

describe('sweeps through the API', () => {
  const ctx = freshDatabasePerTest()

  it('samples each distribution inside its support, reproducibly from the seed', () => {
    const parameters = {
      c: { value: 'adam' },
      cat: { values: ['a', 'b', { deep: 1 }] },
      u: { distribution: 'uniform', min: -1, max: 1 },
      i: { distribution: 'int_uniform', min: 2, max: 5 },
      q: { distribution: 'q_uniform', min: 0, max: 1, q: 0.25 },
      lu: { distribution: 'log_uniform_values', min: 1e-4, max: 1e-1 },
      qlu: { distribution: 'q_log_uniform_values', min: 8, max: 256, q: 8 },
      n: { distribution: 'normal', mu: 10, sigma: 2 },
      ln: { distribution: 'log_normal', mu: 0, sigma: 0.5 },
      nested: { parameters: { a: { values: [1, 2] } } },
    }
    const s = ctx.db.createSweep({ name: 'dists', method: 'random', metric, parameters, runCap: 200, seed: 7 })
    const rows: Record<string, unknown>[] = []
    for (let t = s.ask(); t; t = s.ask()) {
      rows.push(t.params)
      t.finish(0)
    }
    expect(rows).toHaveLength(200)
    const col = (k: string) => rows.map((r) => r[k] as number)
    expect(new Set(rows.map((r) => r.c))).toEqual(new Set(['adam']))
    expect(new Set(rows.map((r) => JSON.stringify(r.cat)))).toEqual(new Set(['"a"', '"b"', '{"deep":1}']))
    expect(col('u').every((v) => v >= -1 && v <= 1)).toBe(true)
    expect(new Set(col('i'))).toEqual(new Set([2, 3, 4, 5]))
    expect(new Set(col('q'))).toEqual(new Set([0, 0.25, 0.5, 0.75, 1]))
    expect(col('lu').every((v) => v >= 1e-4 && v <= 1e-1)).toBe(true)
    // log-uniform: about a third of the draws in each decade
    expect(col('lu').filter((v) => v < 1e-3).length).toBeGreaterThan(40)
    expect(col('qlu').every((v) => v % 8 === 0 && v >= 8 && v <= 256)).toBe(true)
    const mean = col('n').reduce((a, b) => a + b, 0) / 200
    expect(Math.abs(mean - 10)).toBeLessThan(0.5)
    expect(col('ln').every((v) => v > 0)).toBe(true)
    expect(new Set(rows.map((r) => (r.nested as { a: number }).a))).toEqual(new Set([1, 2]))
    // an ordinary experiment, params nested as objects, tagged with its sweep
    const e = ctx.db.getExperiment('dists-0')
    expect(e.params).toEqual(rows[0])
    expect(e.tags).toMatchObject({ 'mldb.sweep': 'dists', 'mldb.trial': '0' })
    expect(e.status).toBe('COMPLETE')

    using other = new Database({ path: join(ctx.dir, 'other.db') })
    const again = other.createSweep({ name: 'dists', method: 'random', metric, parameters, runCap: 5, seed: 7 })
    const first: Record<string, unknown>[] = []
    for (let t = again.ask(); t; t = again.ask()) {
      first.push(t.params)
      t.finish(0)
    }
    expect(first).toEqual(rows.slice(0, 5))
  })

  it('refuses a config holding U+0000 in its name or a value, naming it, and creates nothing', () => {
    const problem = 'sweep config contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it'
    expect(() => ctx.db.createSweep({ name: 'a\u0000b', metric, parameters: { a: { values: [1] } } })).toThrow(problem)
    expect(() => ctx.db.createSweep({ name: 'n', metric, parameters: { a: { values: ['x\u0000'] } } })).toThrow(problem)
    expect(ctx.db.listSweeps()).toEqual([])
  })

  it('walks a grid once, then returns null', () => {
    const s = ctx.db.createSweep({
      name: 'g',
      method: 'grid',
      metric,
      parameters: { a: { values: [1, 2, 3] }, b: { distribution: 'int_uniform', min: 0, max: 1 } },
    })
    const seen: string[] = []
    for (let t = s.ask(); t; t = s.ask()) {
      seen.push(JSON.stringify(t.params))
      t.finish(1)
    }
    expect(seen).toHaveLength(6)
    expect(new Set(seen).size).toBe(6)
    expect(s.ask()).toBeNull()
  })

  it('stops exactly at the run cap and after stop(), from any connection', () => {
    ctx.db.createSweep({ name: 'cap', method: 'random', metric, parameters: { x: { min: 0, max: 1 } }, run_cap: 3 })
    using other = new Database({ path: ctx.db.path })
    const s = other.getSweep('cap')
    const a = s.ask()
    const b = ctx.db.getSweep('cap').ask()
    expect([a?.number, b?.number]).toEqual([0, 1])
    s.stop()
    expect(s.ask()).toBeNull()
    expect(ctx.db.listSweeps()[0]).toMatchObject({ name: 'cap', state: 'STOPPED', trials: 2, running: 2 })
    expect(() => ctx.db.getSweep('nope')).toThrow(NotFoundError)
    expect(() => ctx.db.createSweep({ name: 'cap', metric, parameters: { x: { value: 1 } } })).toThrow(ValidationError)
  })

  it('TPE (bayes) is reproducible and beats random search on Branin', () => {
    const run = (method: string, seed: number, db: Database) => {
      const s = db.createSweep({
        name: `${method}-${seed}`,
        method,
        metric,
        parameters: { x: { min: -5, max: 10 }, y: { min: 0, max: 15 } },
        runCap: 100,
        seed,
      })
      s.optimize((t) => branin(t.params.x as number, t.params.y as number))
      return s
    }
    const tpe: number[] = []
    const rnd: number[] = []
    for (let seed = 1; seed <= 5; seed++) {
      tpe.push(run('bayes', seed, ctx.db).best()?.value as number)
      rnd.push(run('random', seed, ctx.db).best()?.value as number)
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] as number
    expect(median(tpe)).toBeLessThan(median(rnd))
    using other = new Database({ path: join(ctx.dir, 'other.db') })
    expect(
      run('bayes', 3, other)
        .trials()
        .map((t) => t.params),
    ).toEqual(
      ctx.db
        .getSweep('bayes-3')
        .trials()
        .map((t) => t.params),
    )
  })

  it('maximize: best() is the highest complete value', () => {
    const s = ctx.db.createSweep({
      name: 'max',
      method: 'bayes',
      metric: { name: 'acc', goal: 'maximize' },
      parameters: { x: { min: 0, max: 1 } },
      runCap: 15,
      seed: 1,
    })
    s.optimize((t) => 1 - ((t.params.x as number) - 0.3) ** 2)
    const best = s.best()
    expect(best?.value).toBe(Math.max(...s.trials().map((t) => t.value as number)))
  })

  it('median pruner: prunes a trial worse than the median of complete trials at the same step; PRUNED status', () => {
    const s = ctx.db.createSweep({
      name: 'med',
      method: 'random',
      metric: { name: 'valid/loss', goal: 'minimize' },
      parameters: { x: { min: 0, max: 1 } },
      early_terminate: { type: 'median', n_startup_trials: 2, n_warmup_steps: 1 },
    })
    for (const level of [1, 2, 3]) {
      const t = s.ask()!
      for (let step = 0; step < 5; step++) t.report(step, level + 1 / (step + 1))
      // the first two have fewer than n_startup_trials complete trials to compare with; the third is worse than both
      expect(t.shouldPrune()).toBe(level === 3)
      t.finish()
    }
    const good = s.ask()!
    good.report(0, 100) // warm-up step: never pruned
    expect(good.shouldPrune()).toBe(false)
    good.report(1, 1.5) // best so far 1.5 < median 2.5 at step 1
    expect(good.shouldPrune()).toBe(false)
    const bad = s.ask()!
    bad.report(0, 9)
    bad.report(1, 9)
    expect(bad.shouldPrune()).toBe(true)
    bad.prune()
    expect(ctx.db.getExpStatus(bad.exp)).toBe('PRUNED')
    expect(s.summary()).toMatchObject({ pruned: 1, complete: 3, running: 1 })
    expect(s.best()?.value).toBeCloseTo(1 + 1 / 5)
    expect(() => bad.report(2, 1)).toThrow(ValidationError)
  })

  it('hyperband: at each bracket (min_iter * eta^k) a trial outside the best 1/eta is pruned', () => {
    const s = ctx.db.createSweep({
      name: 'hb',
      method: 'random',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: { x: { min: 0, max: 1 } },
      early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 },
    })
    const trials = [1, 2, 3, 4].map((level) => {
      const t = s.ask()!
      for (let step = 0; step <= 2; step++) t.report(step, level)
      return t
    })
    // at bracket 2 there are 4 trials: the best 2 stay
    expect(trials.map((t) => t.shouldPrune())).toEqual([false, false, true, true])
    const early = s.ask()!
    early.report(1, 100) // has not reached the first bracket
    expect(early.shouldPrune()).toBe(false)
  })

  it('a LOST trial is marked FAILED by the next ask and, with requeue_lost, its params run again', () => {
    const s = ctx.db.createSweep({ name: 'lost', method: 'grid', metric, parameters: { a: { values: [1, 2, 3] } }, requeue_lost: true })
    const dead = s.ask()!
    ctx.db.setNotes(dead.exp, 'epoch 3')
    const old = Date.now() - LOST_AFTER_MS - 5000
    ctx.db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(old, old, dead.exp)
    expect(ctx.db.getExpStatus(dead.exp)).toBe('LOST')
    const rerun = s.ask()!
    expect(ctx.db.getExpStatus(dead.exp)).toBe('FAILED')
    // what the trial wrote stays, the LOST line below it, as a FAILED trial's error
    expect(ctx.db.getNotes(dead.exp)).toBe('epoch 3\nLOST: its worker stopped beating; marked FAILED by the sweep')
    expect(rerun.params).toEqual(dead.params)
    expect(rerun.number).toBe(1)
    rerun.finish(1)
    const rest = [s.ask()!, s.ask()!]
    expect(rest.map((t) => t.params.a)).toEqual([2, 3])
    expect(s.ask()).toBeNull()
  })
})
