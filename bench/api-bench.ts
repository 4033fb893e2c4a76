/**
 * Dashboard API benchmark: 10,000 experiments × 5 series × 1,000 points, then
 * the experiments listing and a 1,000,000-point downsample through the Hono
 * app (app.request, no socket: what is measured is the server's own work,
 * JSON encoding included). Run with `npx tsx bench/api-bench.ts`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { type BatchPoint, Database } from '../src/index.js'
import { createApp } from '../src/server/app.js'

/** Sizes of the database built; the defaults are the issue's. */
export interface ApiBenchOptions {
  experiments?: number
  pointsPerSeries?: number
  longSeriesPoints?: number
  /** progress lines on stderr */
  verbose?: boolean
}

const SERIES = [
  ['loss', 'train'],
  ['loss', 'valid'],
  ['acc', 'train'],
  ['acc', 'valid'],
  ['lr', ''],
] as const

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/**
 * Median wall time (ms) of `runs` requests, after one warm-up. The body is read
 * as bytes: what is timed is the server producing them, not a client parsing them.
 */
async function time(app: ReturnType<typeof createApp>, url: string, runs = 5): Promise<{ ms: number; bytes: number }> {
  let bytes = 0
  const once = async () => {
    const res = await app.request(url)
    const body = await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 200)}`)
    bytes = body.byteLength
  }
  await once()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await once()
    times.push(performance.now() - t0)
  }
  return { ms: median(times), bytes }
}

/** Builds the database in a temp dir, measures, removes it, and returns the figures (ms, counts, bytes). */
export async function runApiBench(options: ApiBenchOptions = {}): Promise<Record<string, number>> {
  const nExp = options.experiments ?? 10_000
  const nPoints = options.pointsPerSeries ?? 1_000
  const nLong = options.longSeriesPoints ?? 1_000_000
  const log = (msg: string) => options.verbose && process.stderr.write(`${msg}\n`)
  const dir = mkdtempSync(join(tmpdir(), 'mldb-api-bench-'))
  const db = new Database({ path: join(dir, 'bench.db') })
  try {
    const t0 = performance.now()
    const start = Date.now() - nExp * 60_000
    const batch: BatchPoint[] = []
    for (let i = 0; i < nExp; i++) {
      const name = `bench_${String(i).padStart(5, '0')}`
      const lr = 10 ** -(1 + (i % 4))
      db.setExpStatus(name, i % 50 === 0 ? 'TRAINING' : 'COMPLETE', { project: `project-${i % 5}` })
      db.setParams(name, { lr, hidden: 16 << (i % 4), batch: 32, optimizer: i % 2 ? 'adam' : 'sgd', seed: i })
      batch.length = 0
      for (let step = 0; step < nPoints; step++) {
        const t = start + i * 60_000 + step * 50
        const decay = Math.exp(-step / (200 + (i % 7) * 50))
        for (const [series, split] of SERIES) {
          const value = series === 'loss' ? decay + (split === 'valid' ? 0.05 : 0) : series === 'acc' ? 1 - decay / 2 : lr * decay
          batch.push({ name: series, split, step, value, time: t })
        }
      }
      db.logBatch(name, batch)
      if (i % 1000 === 999) log(`  built ${i + 1} experiments (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    }
    const longName = 'bench_long'
    db.setExpStatus(longName, 'COMPLETE', { project: 'long' })
    for (let from = 0; from < nLong; from += 100_000) {
      batch.length = 0
      for (let step = from; step < Math.min(nLong, from + 100_000); step++) {
        // one spike in the middle: the downsample must keep it
        batch.push({ name: 'loss', split: 'train', step, value: step === 500_000 ? 1000 : Math.sin(step / 1000), time: start + step })
      }
      db.logBatch(longName, batch)
    }
    const buildMs = performance.now() - t0
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const fileBytes = statSync(join(dir, 'bench.db')).size
    log(`  built in ${(buildMs / 1000).toFixed(1)} s, ${(fileBytes / 2 ** 20).toFixed(0)} MiB`)

    const app = createApp({ db })
    const list = await time(app, '/api/experiments')
    const filtered = await time(app, `/api/experiments?where=${encodeURIComponent("params.lr < 0.01 and metrics.valid/loss < 0.5 and status = 'COMPLETE'")}`)
    const sorted = await time(app, `/api/experiments?orderBy=${encodeURIComponent('min(metrics.valid/loss) asc')}`)
    const down = await time(app, `/api/experiments/${longName}/downsample?series=train/loss&buckets=1000`)
    const zoom = await time(app, `/api/experiments/${longName}/downsample?series=train/loss&buckets=1000&from=400000&to=600000`)
    const changes = await time(app, `/api/changes?since=${Date.now()}`)
    const tail = await time(app, `/api/experiments/${longName}/points?series=train/loss&after=${nLong - 101}`)
    return {
      experiments: nExp,
      pointsPerSeries: nPoints,
      buildSeconds: Math.round(buildMs / 100) / 10,
      dbMiB: Math.round(fileBytes / 2 ** 20),
      listMs: list.ms,
      listBytes: list.bytes,
      listFilteredMs: filtered.ms,
      listSortedByMetricMs: sorted.ms,
      downsample1MMs: down.ms,
      downsampleZoomMs: zoom.ms,
      changesIdleMs: changes.ms,
      pointsTail100Ms: tail.ms,
      // a shared machine: the 1-minute load average says how noisy the figures are
      loadAverage: Math.round((loadavg()[0] as number) * 10) / 10,
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The figures as a two-column table. */
export function formatApiBench(r: Record<string, number>): string {
  const rows: [string, string][] = [
    [`GET /api/experiments (${r.experiments} × 5 series), median of 5`, `${r.listMs?.toFixed(1)} ms (target ≤ 150)`],
    ['  same, with a param + metric filter', `${r.listFilteredMs?.toFixed(1)} ms`],
    ['  same, sorted by min(valid/loss)', `${r.listSortedByMetricMs?.toFixed(1)} ms`],
    ['  response size', `${((r.listBytes ?? 0) / 2 ** 20).toFixed(1)} MiB`],
    ['GET downsample, 1,000,000 points → 1,000 buckets', `${r.downsample1MMs?.toFixed(1)} ms`],
    ['  zoomed to 200,000 steps', `${r.downsampleZoomMs?.toFixed(1)} ms`],
    ['GET /api/changes (nothing new)', `${r.changesIdleMs?.toFixed(1)} ms`],
    ['GET points after a step (100 new)', `${r.pointsTail100Ms?.toFixed(1)} ms`],
    ['database build', `${r.buildSeconds} s, ${r.dbMiB} MiB`],
    ['load average (1 min) at the end', `${r.loadAverage}`],
  ]
  const w = Math.max(...rows.map(([a]) => a.length))
  return rows.map(([a, b]) => `${a.padEnd(w)}  ${b}`).join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runApiBench({ verbose: true })
  console.log(formatApiBench(r))
}
