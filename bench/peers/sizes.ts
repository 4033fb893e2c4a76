// How big each workload is: the full run by default, `--quick` for a few
// minutes; each size can be set with an environment variable (BENCH_PEERS_<KEY>).
export interface Sizes {
  reps: number
  percall_n: number
  percall_max_s: number
  batched_n: number
  batch: number
  procs: number
  worker_n: number
  worker_max_s: number
  bytes_n: number
  runs: number
  fill_max_s: number
  series_n: number
  series_max_s: number
  kill_n: number
  timeout_s: number
}

const FULL: Sizes = {
  reps: 3,
  percall_n: 20_000,
  percall_max_s: 10,
  batched_n: 100_000,
  batch: 1000,
  procs: 16,
  worker_n: 2000,
  worker_max_s: 10,
  bytes_n: 100_000,
  runs: 10_000,
  fill_max_s: 600,
  series_n: 100_000,
  series_max_s: 120,
  kill_n: 500,
  timeout_s: 900,
}

const QUICK: Sizes = {
  ...FULL,
  reps: 1,
  percall_n: 2000,
  percall_max_s: 3,
  batched_n: 20_000,
  worker_n: 1000,
  worker_max_s: 3,
  bytes_n: 20_000,
  runs: 1000,
  fill_max_s: 120,
  series_n: 20_000,
  series_max_s: 20,
  timeout_s: 300,
}

export function sizes(quick: boolean): Sizes {
  const s = { ...(quick ? QUICK : FULL) }
  for (const key of Object.keys(s) as (keyof Sizes)[]) {
    const v = process.env[`BENCH_PEERS_${key.toUpperCase()}`]
    if (v === undefined) continue
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`BENCH_PEERS_${key.toUpperCase()} must be a positive number, got "${v}"`)
    s[key] = n
  }
  return s
}
