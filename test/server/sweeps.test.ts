import { afterEach, describe, expect, it } from 'vitest'
import { type ErrorBody, setupApp } from './helpers.js'

let ctx: ReturnType<typeof setupApp>
afterEach(() => ctx.close())

describe('sweep routes', () => {
  it('lists sweeps and shows one with its config and trials; an unknown sweep is a 404', async () => {
    ctx = setupApp()
    const s = ctx.db.createSweep({ name: 'web', method: 'random', metric: { name: 'loss' }, parameters: { x: { min: 0, max: 1 } }, run_cap: 3, seed: 2 })
    s.optimize((t) => t.params.x as number)
    const list = await ctx.json<{ sweeps: { name: string; trials: number; best: { value: number } }[] }>('/api/sweeps')
    expect(list.status).toBe(200)
    expect(list.body.sweeps).toMatchObject([{ name: 'web', trials: 3 }])
    const one = await ctx.json<{ sweep: { complete: number }; config: { method: string }; trials: { number: number; status: string; value: number }[] }>(
      '/api/sweeps/web',
    )
    expect(one.body.sweep.complete).toBe(3)
    expect(one.body.config.method).toBe('random')
    expect(one.body.trials.map((t) => [t.number, t.status])).toEqual([
      [0, 'COMPLETE'],
      [1, 'COMPLETE'],
      [2, 'COMPLETE'],
    ])
    expect(list.body.sweeps[0]?.best.value).toBe(Math.min(...one.body.trials.map((t) => t.value)))
    const missing = await ctx.json<ErrorBody>('/api/sweeps/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toMatch(/no sweep named "nope"/)
  })
})
