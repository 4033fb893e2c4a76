// What the bayes (TPE) sampler learns from, seen through ask(): running trials
// count as bad ("constant liar"), pruned trials by their deepest step, and every
// distribution stays inside its support once TPE takes over from random draws.
import { describe, expect, it } from 'vitest'
import type { Sweep } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const minimize = { name: 'loss', goal: 'minimize' }

/** Pairs of params closer than `eps` to each other: near-duplicate trials. */
function closePairs(xs: number[], eps: number): number {
  let n = 0
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) if (Math.abs(xs[i]! - xs[j]!) < eps) n++
  return n
}

describe('TPE history', () => {
  const ctx = freshDatabasePerTest()

  it('running trials count as bad: parallel asks are not the same as asks whose trials failed, and spread more', () => {
    const parameters = { x: { min: 0, max: 9 } }
    const warm = (name: string, seed: number): Sweep => {
      const s = ctx.db.createSweep({ name, method: 'bayes', metric: minimize, parameters, seed })
      s.optimize((t) => Math.abs((t.params.x as number) - 3), 20)
      return s
    }
    let pendingClose = 0
    let failedClose = 0
    for (let seed = 1; seed <= 5; seed++) {
      // eight workers ask at once: each sees the others' trials running
      const parallel = warm(`parallel-${seed}`, seed)
      const pending = Array.from({ length: 8 }, () => parallel.ask()?.params.x as number)
      // the same history, each trial failed before the next ask: FAILED trials teach the sampler nothing
      const serial = warm(`serial-${seed}`, seed)
      const failed = Array.from({ length: 8 }, () => {
        const t = serial.ask()
        t?.fail('gone')
        return t?.params.x as number
      })
      expect(pending[0]).toBe(failed[0])
      expect(pending.slice(1)).not.toEqual(failed.slice(1))
      pendingClose += closePairs(pending, 0.1)
      failedClose += closePairs(failed, 0.1)
    }
    expect(pendingClose).toBeLessThan(failedClose)
  })

  it("running trials do not count in gamma's n: beside ten finished trials only the best one is good", () => {
    // Ten finished trials: the one with the smallest x is best, the one with the largest x second. gamma(10) = 1,
    // so only the best is good; counting the running trials too (gamma(11) = 2 from the second parallel ask) made
    // the second good as well, and the sampler went looking next to it.
    let nearSecond = 0
    for (let seed = 1; seed <= 40; seed++) {
      const s = ctx.db.createSweep({ name: `liar-n-${seed}`, method: 'bayes', metric: minimize, parameters: { x: { min: 0, max: 1 } }, seed })
      const startup = Array.from({ length: 10 }, () => s.ask()!)
      const xs = startup.map((t) => t.params.x as number)
      const lo = Math.min(...xs)
      const hi = Math.max(...xs)
      for (const t of startup) t.finish(t.params.x === lo ? 0 : t.params.x === hi ? 1 : 10)
      // two workers ask at once: the second sees the first one's trial running
      s.ask()
      const x = s.ask()?.params.x as number
      if (Math.abs(x - hi) < Math.abs(x - lo)) nearSecond++
    }
    // 14 of 40 nearer the second than the best; with running trials in n, 27
    expect(nearSecond).toBeLessThanOrEqual(20)
  })

  it('pruned trials feed the sampler, ranked by their deepest step before their value', () => {
    let deepSide = 0
    for (let seed = 1; seed <= 10; seed++) {
      const s = ctx.db.createSweep({ name: `pruned-${seed}`, method: 'bayes', metric: minimize, parameters: { x: { min: 0, max: 1 } }, seed })
      // every startup trial is pruned: right of 0.5 after ten steps at 5, left of it after one step at a better 1
      for (let i = 0; i < 10; i++) {
        const t = s.ask()!
        if ((t.params.x as number) > 0.5) for (let step = 0; step < 10; step++) t.report(step, 5)
        else t.report(0, 1)
        t.prune()
      }
      for (let i = 0; i < 8; i++) {
        const t = s.ask()!
        if ((t.params.x as number) > 0.5) deepSide++
        t.fail('probe')
      }
    }
    // 49 of 80 right of 0.5; with the pruned trials ignored (random draws) 33, ranked by value first 22
    expect(deepSide).toBeGreaterThanOrEqual(42)
  })

  it('bayes samples every distribution inside its support after the startup trials', () => {
    const parameters = {
      cat: { values: ['a', 'b', 'c'] },
      u: { distribution: 'uniform', min: -1, max: 1 },
      i: { distribution: 'int_uniform', min: 2, max: 5 },
      q: { distribution: 'q_uniform', min: 0, max: 1, q: 0.25 },
      lu: { distribution: 'log_uniform_values', min: 1e-4, max: 1e-1 },
      qlu: { distribution: 'q_log_uniform_values', min: 8, max: 256, q: 8 },
      n: { distribution: 'normal', mu: 10, sigma: 2 },
      ln: { distribution: 'log_normal', mu: 0, sigma: 0.5 },
      nested: { parameters: { k: { value: 7 } } },
    }
    const s = ctx.db.createSweep({ name: 'all-dists', method: 'bayes', metric: minimize, parameters, runCap: 40, seed: 3 })
    s.optimize((t) => (t.params.cat === 'b' ? 0 : 1) + Math.abs(Math.log10(t.params.lu as number) + 2) + Math.abs((t.params.n as number) - 12))
    const rows = s.trials().map((t) => t.params)
    expect(rows).toHaveLength(40)
    const tpe = rows.slice(10)
    const col = (k: string) => tpe.map((r) => r[k] as number)
    expect(tpe.every((r) => ['a', 'b', 'c'].includes(r.cat as string))).toBe(true)
    expect(col('u').every((v) => v >= -1 && v <= 1)).toBe(true)
    expect(col('i').every((v) => Number.isInteger(v) && v >= 2 && v <= 5)).toBe(true)
    expect(col('q').every((v) => [0, 0.25, 0.5, 0.75, 1].includes(v))).toBe(true)
    expect(col('lu').every((v) => v >= 1e-4 && v <= 1e-1)).toBe(true)
    expect(col('qlu').every((v) => v % 8 === 0 && v >= 8 && v <= 256)).toBe(true)
    expect(col('n').every((v) => Number.isFinite(v))).toBe(true)
    expect(col('ln').every((v) => v > 0)).toBe(true)
    expect(tpe.every((r) => (r.nested as { k: number }).k === 7)).toBe(true)
    // it learns: the categorical choice that scores best is drawn most often once TPE runs
    expect(tpe.filter((r) => r.cat === 'b').length).toBeGreaterThan(tpe.length / 3)
  })
})
