// Local-first sync (issue 11): what a configured server costs a logging call,
// how long a value takes to be readable on the server with 16 machines logging,
// and what an outage of the server loses (nothing). Every machine is its own
// process with its own file; the server is `mldb server` on a SQLite file.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Database } from '../src/index.js'
import { buildCli } from '../test/cli/helpers.js'
import { freePort } from '../test/helpers/postgres.js'
import { type Figure, fmt } from './lib/figure.js'
import { type MldbServer, startMldbServer } from './lib/mldb-server.js'
import { tempDir } from './lib/temp.js'

// Machines and server run the compiled package (test-output/, as the CLI tests build it): a
// script of a user's runs JavaScript, and 16 processes compiling TypeScript at start would be the lag measured.
const writerModule = () => join(dirname(dirname(buildCli())), 'index.js')
const TOKEN = 'bench-sync-token'
const WRITERS = 16

function startServer(db: string, port: number): Promise<MldbServer> {
  return startMldbServer({ cli: buildCli(), args: ['--db', db, '--port', String(port), '--token', TOKEN], env: { ...process.env, MLDB_SYNC: '0' } })
}

/** One machine: `node bench/children/sync-writer.mjs <built index.js> ...args`. */
function machine(args: string[]): { exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'children', 'sync-writer.mjs'), writerModule(), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return { exited: new Promise((r) => proc.on('close', (code) => r(code))) }
}

async function points(url: string, exp: string, series: string, after = -1): Promise<[number, number, number][]> {
  const res = await fetch(new URL(`/api/experiments/${exp}/points?series=${series}&after=${after}&limit=1000000`, url), {
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  if (res.status !== 200) return []
  return ((await res.json()) as { points: [number, number, number][] }).points
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}

/** addMetricValue one at a time, with and without a server, in alternating chunks (same run, same file shape). */
function overhead(dir: { file(n: string): string }, url: string): { ratio: number; plain: number; synced: number } {
  const plain = new Database({ path: dir.file('plain.db'), server: '' })
  const synced = new Database({ path: dir.file('synced.db'), server: url, token: TOKEN, syncWaitMs: 60_000 })
  plain.setExpStatus('o', 'TRAINING')
  synced.setExpStatus('o', 'TRAINING')
  const CHUNK = 5000
  let tPlain = 0
  let tSynced = 0
  let step = 0
  for (let round = 0; round < 8; round++) {
    for (const [db, add] of [
      [plain, (ms: number) => (tPlain += ms)],
      [synced, (ms: number) => (tSynced += ms)],
    ] as const) {
      const s = step
      const t = performance.now()
      for (let i = 0; i < CHUNK; i++) db.addMetricValue('o', 'loss', s + i, 1 / (s + i + 1))
      add(performance.now() - t)
    }
    step += CHUNK
  }
  plain.close()
  synced.close()
  const n = 8 * CHUNK
  return { ratio: tSynced / tPlain, plain: n / (tPlain / 1000), synced: n / (tSynced / 1000) }
}

/** 16 machines log one value every 20 ms for 10 s; the bench polls the server and sees when each arrives. */
async function lag(dir: { file(n: string): string; path: string }, url: string): Promise<number[]> {
  const N = 500
  const writers = Array.from({ length: WRITERS }, (_, k) => machine([dir.file(`lag-${k}.db`), url, TOKEN, `lag-${k}`, String(N), 'lag', '20']))
  const lags: number[] = []
  const seen = new Array<number>(WRITERS).fill(-1)
  let done = false
  const closed = Promise.all(writers.map((w) => w.exited)).then(() => {
    done = true
  })
  while (!done || seen.some((s) => s < N - 1)) {
    for (let k = 0; k < WRITERS; k++) {
      if ((seen[k] ?? 0) >= N - 1) continue
      const got = await points(url, `lag-${k}`, 'sent_at', seen[k])
      const now = Date.now()
      for (const [, , value] of got) lags.push(now - value)
      const last = got[got.length - 1]
      if (last) seen[k] = last[0]
    }
    if (done && seen.some((s) => s < N - 1)) break
    await new Promise((r) => setTimeout(r, 50))
  }
  await closed
  return lags
}

/** 16 machines log 20,000 points each; the server is killed for 10 s in the middle and restarted. */
async function outage(dir: { file(n: string): string }, db: string, port: number, server: MldbServer): Promise<{ lost: number; duplicated: number }> {
  const N = 20_000
  const writers = Array.from({ length: WRITERS }, (_, k) => machine([dir.file(`out-${k}.db`), server.url, TOKEN, `out-${k}`, String(N), 'bulk', '5']))
  await new Promise((r) => setTimeout(r, 3000))
  await server.stop('SIGKILL')
  await new Promise((r) => setTimeout(r, 10_000))
  const again = await startServer(db, port)
  await Promise.all(writers.map((w) => w.exited))
  let lost = 0
  let duplicated = 0
  for (let k = 0; k < WRITERS; k++) {
    const pts = await points(again.url, `out-${k}`, 'acc')
    const unique = new Set(pts.map((p) => p[0])).size
    lost += N - unique
    duplicated += pts.length - unique
  }
  await again.stop()
  return { lost, duplicated }
}

/**
 * The sync figures: sync_overhead_per_call, sync_lag_p50_ms / sync_lag_p99_ms,
 * sync_outage_lost_points (with sync_outage_duplicated_points beside it).
 */
export async function runSyncBench(): Promise<Figure[]> {
  using dir = tempDir('sync')
  const db = dir.file('server.db')
  const port = await freePort()
  const server = await startServer(db, port)
  const o = overhead(dir, server.url)
  const lags = await lag(dir, server.url)
  const p50 = quantile(lags, 0.5)
  const p99 = quantile(lags, 0.99)
  const out = await outage(dir, db, port, server)
  return [
    {
      key: 'sync_overhead_per_call',
      label: 'addMetricValue with a server configured ÷ without',
      value: o.ratio,
      unit: '×',
      target: '<= 1.10',
      pass: o.ratio <= 1.1,
      baseline: `${fmt(o.plain)} calls/s without, ${fmt(o.synced)} with`,
      digits: 2,
      extra: { sync_overhead_plain_calls_per_s: o.plain, sync_overhead_synced_calls_per_s: o.synced },
    },
    {
      key: 'sync_lag_p50_ms',
      label: 'logged → readable on the server, 16 machines, p50',
      value: p50,
      unit: 'ms',
      target: '<= 1,500',
      pass: p50 <= 1500,
      baseline: `${lags.length} values`,
    },
    {
      key: 'sync_lag_p99_ms',
      label: 'logged → readable on the server, 16 machines, p99',
      value: p99,
      unit: 'ms',
      target: '<= 5,000',
      pass: p99 <= 5000,
      baseline: `${lags.length} values`,
    },
    {
      key: 'sync_outage_lost_points',
      label: '16 × 20,000 points, server killed for 10 s: lost (duplicated)',
      value: out.lost,
      unit: 'points',
      target: '0 lost, 0 duplicated',
      pass: out.lost === 0 && out.duplicated === 0,
      baseline: `${out.duplicated} duplicated of ${fmt(WRITERS * 20_000)}`,
      extra: { sync_outage_duplicated_points: out.duplicated },
    },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { renderTable } = await import('./lib/table.js')
  console.log(renderTable(await runSyncBench()))
}
