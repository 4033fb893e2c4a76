// mldb's TypeScript client in `npm run bench:peers`: the same workloads and
// output as harness.py's adapters (one JSON line), through the public API.
//   node --import tsx bench/peers/mldb-ts.ts WORKLOAD DIR [ARGS_JSON]
import { mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { type BatchPoint, Database } from '../../src/index.js'

const METRICS = ['train_loss', 'valid_loss', 'train_acc', 'valid_acc', 'lr']
const FILTER = "params.optimizer = 'adam' and metrics.valid_loss < 0.8" // harness.py's FILTER
const lossAt = (step: number, seed = 0) => 2 * Math.exp(-step / 200000) + 0.05 * Math.sin(step * 12.9898 + seed * 78.233) + 0.013
const runParams = (i: number) => ({ lr: 10 ** -(1 + (i % 40) / 10), batch_size: 32 << (i % 4), optimizer: i % 3 ? 'adam' : 'sgd', seed: i })
const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`)
const du = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0)

const [workload, folder, json] = process.argv.slice(2) as [string, string, string | undefined]
const args = JSON.parse(json ?? '{}') as Record<string, number>
mkdirSync(folder, { recursive: true })
const db = new Database({ path: join(folder, 'mldb.db') })
const open = (exp: string) => db.setExpStatus(exp, 'TRAINING')

switch (workload) {
  case 'percall': {
    open('percall')
    const n = args.n ?? 0
    const maxS = args.max_s ?? 1e9
    let done = 0
    const t = performance.now()
    while (done < n) {
      db.addMetricValue('percall', 'loss', done, lossAt(done))
      done++
      if (performance.now() - t > maxS * 1000) break
    }
    const seconds = (performance.now() - t) / 1000
    db.setExpStatus('percall', 'COMPLETE')
    out({ points: done, seconds, points_per_s: done / seconds })
    break
  }
  case 'batched': {
    open('batched')
    const n = args.n ?? 0
    const size = args.batch ?? 1000
    const batches: BatchPoint[][] = []
    for (let b = 0; b < n; b += size) {
      const batch: BatchPoint[] = []
      for (let k = b; k < Math.min(n, b + size); k++) batch.push({ name: `s${k % 10}`, step: Math.floor(k / 10), value: lossAt(k, k % 10) })
      batches.push(batch)
    }
    const t = performance.now()
    for (const b of batches) db.logBatch('batched', b)
    const seconds = (performance.now() - t) / 1000
    out({ points: n, seconds, points_per_s: n / seconds })
    break
  }
  case 'worker': {
    const exp = `worker_${args.index}`
    open(exp)
    out({ ready: true })
    await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()))
    const n = args.n ?? 0
    const maxS = args.max_s ?? 1e9
    let done = 0
    let errors = 0
    let error: string | null = null
    const t = performance.now()
    for (let step = 0; step < n; step++) {
      try {
        db.addMetricValue(exp, 'loss', step, lossAt(step, args.index))
        done++
      } catch (e) {
        errors++
        error ??= String(e).slice(0, 200)
      }
      if (performance.now() - t > maxS * 1000) break
    }
    db.setExpStatus(exp, 'COMPLETE')
    out({ points: done, errors, seconds: (performance.now() - t) / 1000, error })
    process.exit(0)
    break
  }
  case 'count':
    out({ points: db.listExperiments().reduce((n, e) => n + Object.values(e.series).reduce((m, s) => m + s.count, 0), 0) })
    break
  case 'bytes': {
    open('bytes')
    const n = args.n ?? 0
    for (let b = 0; b < n; b += 1000) {
      const batch: BatchPoint[] = []
      for (let k = b; k < Math.min(n, b + 1000); k++) batch.push({ name: 'loss', step: k, value: lossAt(k) })
      db.logBatch('bytes', batch)
    }
    db.setExpStatus('bytes', 'COMPLETE')
    db.close()
    const size = du(folder)
    out({ points: n, bytes: size, bytes_per_point: size / n })
    break
  }
  case 'fill_runs': {
    const t = performance.now()
    const runs = args.runs ?? 0
    for (let i = 0; i < runs; i++) {
      const exp = `run_${String(i).padStart(5, '0')}`
      db.setParams(exp, runParams(i))
      const points: BatchPoint[] = []
      for (let s = 0; s < 10; s++) {
        for (const [k, m] of METRICS.entries()) points.push({ name: m, step: s, value: m === 'lr' ? runParams(i).lr : lossAt(s * 20000, i + k) })
      }
      db.logBatch(exp, points)
      db.setExpStatus(exp, 'COMPLETE')
    }
    const seconds = (performance.now() - t) / 1000
    // harness.py's expected_filter_matches: adam, and valid_loss's value at step 9 below 0.8
    let expected = 0
    for (let i = 0; i < runs; i++) if (runParams(i).optimizer === 'adam' && lossAt(9 * 20000, i + 1) < 0.8) expected++
    out({ runs, seconds, filter_expected: expected })
    break
  }
  case 'list':
  case 'filter': {
    const t = performance.now()
    const rows = workload === 'list' ? db.listExperiments() : db.listExperiments({ where: FILTER })
    const ms = performance.now() - t
    out({ ms, runs: rows.length, how: workload === 'list' ? 'listExperiments()' : 'listExperiments({ where })' })
    break
  }
  case 'fill_series': {
    open('series')
    const n = args.n ?? 0
    for (let b = 0; b < n; b += 1000) {
      const batch: BatchPoint[] = []
      for (let k = b; k < Math.min(n, b + 1000); k++) batch.push({ name: 'loss', step: k, value: lossAt(k) })
      db.logBatch('series', batch)
    }
    out({ points: n })
    break
  }
  case 'read': {
    const t = performance.now()
    const points = db.getMetricValues('series', 'loss')
    out({ ms: performance.now() - t, points: points.length })
    break
  }
  case 'kill9': {
    open('kill9')
    for (let k = 0; k < (args.n ?? 500); k++) db.addMetricValue('kill9', 'loss', k, lossAt(k))
    process.kill(process.pid, 'SIGKILL')
    break
  }
  default:
    throw new Error(`unknown workload ${workload}`)
}
db.close()
