// `npm run bench:peers [-- --quick] [-- --peers mlflow-file,optuna] [-- --no-install]`:
// the same workloads on mldb's two clients and on MLflow, Optuna, trackio, Aim,
// W&B (offline) and tensorboardX, each through its public API, taking turns,
// median of `reps`. Writes bench/peers.json and prints bench/peers/README.md's table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from '../lib/measure.js'
import { CLIENTS, type Client, type Result, runOne } from './clients.js'
import { runConcurrent } from './concurrent.js'
import { sizes } from './sizes.js'
import { renderPeers } from './table.js'
import { ensureVenv } from './venv.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const argv = process.argv.slice(2)
const quick = argv.includes('--quick')
const S = sizes(quick)
const only = argv.includes('--peers') ? (argv[argv.indexOf('--peers') + 1] ?? '').split(',') : undefined
const venv = ensureVenv(join(HERE, '..', '.venv-peers'), !argv.includes('--no-install'))
const skipped: Record<string, string> = {}
for (const [pkg, p] of Object.entries(venv.packages)) if (p.error) skipped[pkg] = p.error
const clients = CLIENTS.filter((c) => (!only || only.includes(c.id)) && !(c.pkg && skipped[c.pkg]))
const root = mkdtempSync(join(tmpdir(), 'mldb-peers-'))
let dirs = 0
const fresh = () => join(root, String(dirs++))
const log = (s: string) => process.stderr.write(`bench:peers: ${s}\n`)

/** results[client][workload]: every rep's JSON line */
const raw: Record<string, Record<string, Result[]>> = Object.fromEntries(clients.map((c) => [c.id, {}]))
const push = (c: Client, w: string, r: Result) => {
  ;(raw[c.id] as Record<string, Result[]>)[w] ??= []
  ;(raw[c.id] as Record<string, Result[]>)[w]?.push(r)
  const brief = r.error ?? r.na ?? JSON.stringify(r).slice(0, 160)
  log(`${w} ${c.id}: ${brief}`)
}
/** The clients in a different order each rep, so a burst of load hits each alike. */
const turns = (rep: number) => clients.map((_, i) => clients[(i + rep) % clients.length] as Client)

const started = performance.now()
const loadBefore = loadavg()[0] ?? 0
for (let rep = 0; rep < S.reps; rep++) {
  for (const c of turns(rep)) push(c, 'percall', await runOne(c, venv.python, 'percall', fresh(), { n: S.percall_n, max_s: S.percall_max_s }, S.timeout_s))
  for (const c of turns(rep)) push(c, 'batched', await runOne(c, venv.python, 'batched', fresh(), { n: S.batched_n, batch: S.batch }, S.timeout_s))
  for (const c of turns(rep)) push(c, 'concurrent', await runConcurrent(c, venv.python, fresh(), S.procs, S.worker_n, S.worker_max_s, S.timeout_s))
}
for (const c of clients) push(c, 'bytes', await runOne(c, venv.python, 'bytes', fresh(), { n: S.bytes_n, max_s: S.series_max_s }, S.timeout_s))
for (const c of clients) {
  const dir = fresh()
  push(c, 'kill9', await runOne(c, venv.python, 'kill9', dir, { n: S.kill_n }, S.timeout_s))
  // W&B writes through a service process of its own: give it 2 s to drain before counting
  await new Promise((r) => setTimeout(r, 2000))
  push(c, 'kill9_count', await runOne(c, venv.python, 'count', dir, {}, S.timeout_s))
}
// listing, filtering and reading: each store filled once (untimed), then read in turns
const filled: Record<string, { runs: string; series: string }> = {}
for (const c of clients) {
  filled[c.id] = { runs: fresh(), series: fresh() }
  push(
    c,
    'fill_runs',
    await runOne(c, venv.python, 'fill_runs', filled[c.id]?.runs as string, { runs: S.runs, max_s: S.fill_max_s }, S.timeout_s + S.fill_max_s),
  )
  push(c, 'fill_series', await runOne(c, venv.python, 'fill_series', filled[c.id]?.series as string, { n: S.series_n, max_s: S.series_max_s }, S.timeout_s))
}
for (let rep = 0; rep < S.reps; rep++) {
  for (const c of turns(rep)) {
    const f = filled[c.id] as { runs: string; series: string }
    push(c, 'list', await runOne(c, venv.python, 'list', f.runs, {}, S.timeout_s))
    push(c, 'filter', await runOne(c, venv.python, 'filter', f.runs, {}, S.timeout_s))
    push(c, 'read', await runOne(c, venv.python, 'read', f.series, {}, S.timeout_s))
  }
}
rmSync(root, { recursive: true, force: true })

/** The median of a numeric field over the reps that produced it; undefined when none did. */
const med = (rs: Result[] | undefined, key: string) => {
  const xs = (rs ?? []).map((r) => r[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  return xs.length ? median(xs) : undefined
}
const why = (rs: Result[] | undefined) => rs?.find((r) => r.na || r.error)?.na ?? rs?.find((r) => r.error)?.error
const sum = (rs: Result[] | undefined, key: string) => (rs ?? []).reduce((n, r) => n + (typeof r[key] === 'number' ? (r[key] as number) : 0), 0)
const figures = Object.fromEntries(
  clients.map((c) => {
    const r = raw[c.id] as Record<string, Result[]>
    return [
      c.id,
      {
        label: c.label,
        percall_points_per_s: med(r.percall, 'points_per_s'),
        batched_points_per_s: med(r.batched, 'points_per_s'),
        concurrent_points_per_s: med(r.concurrent, 'points_per_s'),
        concurrent_errors: sum(r.concurrent, 'errors'),
        concurrent_lost: sum(r.concurrent, 'lost'),
        bytes_per_point: med(r.bytes, 'bytes_per_point'),
        bytes_points: med(r.bytes, 'points'),
        list_ms: med(r.list, 'ms'),
        filter_ms: med(r.filter, 'ms'),
        runs: med(r.fill_runs, 'runs'),
        listed: med(r.list, 'runs'),
        filtered: med(r.filter, 'runs'),
        filter_expected: med(r.fill_runs, 'filter_expected'),
        read_ms: med(r.read, 'ms'),
        read_points: med(r.read, 'points'),
        kill9_survived: med(r.kill9_count, 'points'),
        kill9_of: S.kill_n,
        notes: Object.fromEntries(Object.entries(r).flatMap(([w, rs]) => (why(rs) ? [[w, why(rs)]] : []))),
      },
    ]
  }),
)
const meta = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  sizes: S,
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? '',
  node: process.version,
  load_average_before: loadBefore,
  load_average_after: loadavg()[0] ?? 0,
  seconds: (performance.now() - started) / 1000,
  packages: venv.packages,
  skipped,
}
const out = join(HERE, '..', 'peers.json')
writeFileSync(out, `${JSON.stringify({ meta, figures, raw }, null, 2)}\n`)
console.log(renderPeers(figures, meta))
console.log(`wrote ${out}`)
