import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ValidationError } from '../../src/index.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

const savedPath = process.env.PATH

/** The system/* series names of an experiment. */
function systemSeries(ctx: ReturnType<typeof freshDatabasePerTest>, exp: string): string[] {
  return ctx.db
    .getSeries(exp)
    .filter((s) => s.split === 'system')
    .map((s) => s.name)
    .sort()
}

describe('startRun({ systemMetrics: true })', () => {
  const ctx = freshDatabasePerTest()
  afterEach(() => {
    process.env.PATH = savedPath
  })

  it('samples CPU, memory, disk and network into system/* series, and nothing GPU-related without nvidia-smi', async () => {
    // A PATH with no nvidia-smi on it, as on a machine without a GPU.
    process.env.PATH = ctx.dir
    const run = ctx.db.startRun({ name: 'sys', systemMetrics: true, systemMetricsEveryMs: 20, handleExit: false })
    await vi.waitFor(() => expect(ctx.db.getMetricValues('sys', 'cpu_percent', { split: 'system' }).length).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
    })
    run.finish()
    const names = systemSeries(ctx, 'sys')
    expect(names).toEqual(expect.arrayContaining(['cpu_percent', 'memory_used_mb', 'memory_used_percent', 'process_cpu_percent', 'process_rss_mb']))
    if (process.platform === 'linux') expect(names).toEqual(expect.arrayContaining(['disk_read_mb', 'disk_write_mb', 'net_recv_mb', 'net_sent_mb']))
    expect(names.filter((n) => n.startsWith('gpu'))).toEqual([])
    const rss = ctx.db.getMetricValues('sys', 'process_rss_mb', { split: 'system' })
    expect(rss[0]?.value).toBeGreaterThan(1)
    expect(rss.map((p) => p.step).slice(0, 2)).toEqual([0, 1])
    const pct = ctx.db.getMetricValues('sys', 'memory_used_percent', { split: 'system' })[0]?.value ?? -1
    expect(pct).toBeGreaterThan(0)
    expect(pct).toBeLessThanOrEqual(100)
    // Sampling stops with the run.
    const count = ctx.db.getMetricValues('sys', 'cpu_percent', { split: 'system' }).length
    await new Promise((r) => setTimeout(r, 100))
    expect(ctx.db.getMetricValues('sys', 'cpu_percent', { split: 'system' }).length).toBe(count)
    expect(ctx.db.getExpStatus('sys')).toBe('COMPLETE')
  })

  it('logs utilisation, memory and temperature per GPU where nvidia-smi answers', async () => {
    const smi = join(ctx.dir, 'nvidia-smi')
    writeFileSync(smi, '#!/bin/sh\nprintf "0, 35, 1024, 16384, 51\\n1, [N/A], 2048, 16384, 40\\n"\n')
    chmodSync(smi, 0o755)
    process.env.PATH = `${ctx.dir}:/usr/bin:/bin`
    const run = ctx.db.startRun({ name: 'gpu', systemMetrics: true, systemMetricsEveryMs: 20, handleExit: false })
    await vi.waitFor(() => expect(ctx.db.getMetricValues('gpu', 'gpu1_temperature_c', { split: 'system' }).length).toBeGreaterThan(0), {
      timeout: 10_000,
    })
    run.finish()
    const last = (name: string) => ctx.db.getMetricValues('gpu', name, { split: 'system' }).at(-1)?.value
    expect(last('gpu0_utilization_percent')).toBe(35)
    expect(last('gpu0_memory_used_mb')).toBe(1024)
    expect(last('gpu0_memory_percent')).toBe(6.25)
    expect(last('gpu0_temperature_c')).toBe(51)
    expect(last('gpu1_temperature_c')).toBe(40)
    // "[N/A]" fields are left out, not logged as NaN.
    expect(systemSeries(ctx, 'gpu')).not.toContain('gpu1_utilization_percent')
  })

  it('is off by default and refuses a bad period before creating the run', () => {
    ctx.db.startRun({ name: 'plain', handleExit: false }).finish()
    expect(systemSeries(ctx, 'plain')).toEqual([])
    expect(() => ctx.db.startRun({ name: 'bad', systemMetrics: true, systemMetricsEveryMs: 0, handleExit: false })).toThrow(ValidationError)
    expect(() => ctx.db.startRun({ name: 'bad', systemMetrics: 'yes' as unknown as boolean, handleExit: false })).toThrow(/systemMetrics/)
    expect(ctx.db.listExperiments().map((e) => e.name)).toEqual(['plain'])
  })
})
