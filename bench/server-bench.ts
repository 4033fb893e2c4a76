// The team server under load (issue 10): 16 client processes posting batches of
// 500 to `mldb server` on a SQLite file and on PostgreSQL, listing 10,000
// experiments through it, and a SIGKILL of the server mid-load. Each figure has
// a baseline measured in the same run.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Database } from '../src/index.js'
import { PostgresStore } from '../src/store/postgres/pg-store.js'
import { canStartPostgres, freePort, type Postgres, startPostgres } from '../test/helpers/postgres.js'
import { type BenchChild, startBenchChild } from './lib/child.js'
import { type Figure, fmt } from './lib/figure.js'
import { type MldbServer, startMldbServer } from './lib/mldb-server.js'
import { tempDir } from './lib/temp.js'

const CLIENTS = 16
const POINTS_EACH = 20_000
const BATCH = 500
const TOKEN = 'bench-token'

function startServer(db: string, artifacts: string, port: number): Promise<MldbServer> {
  return startMldbServer({ args: ['--db', db, '--port', String(port), '--token', TOKEN, '--artifacts', artifacts] })
}

interface LoadResult {
  seconds: number
  errors: number
  retries: number
  /** the server's CPU time per batch during the load (ms), when /proc tells it */
  serverCpuPerBatch: number | undefined
}

/** CPU time (user + system) of a process in ms, from /proc (Linux; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] as string).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
  } catch {
    return undefined
  }
}

/**
 * 16 clients, each POINTS_EACH points in batches; `during` runs once every client has sent its first batch.
 * With `server`, its CPU time per batch is measured too: on a shared machine the
 * clients, the server and PostgreSQL compete for the same cores, and this says what the server itself costs.
 */
async function load(base: string, during?: () => Promise<void>, server?: MldbServer): Promise<LoadResult> {
  const children: BenchChild[] = []
  try {
    for (let i = 0; i < CLIENTS; i++) children.push(startBenchChild('server-client.ts', [base, TOKEN, String(i), String(POINTS_EACH), String(BATCH)]))
    await Promise.all(children.map((c) => c.line((l) => l === 'ready')))
    const cpu0 = cpuMs(server?.proc.pid)
    const go = performance.now()
    for (const c of children) c.proc.stdin.end('go\n')
    if (during) {
      await Promise.all(children.map((c) => c.line((l) => l === 'first')))
      await during()
    }
    const dones = await Promise.all(children.map((c) => c.line((l) => l.startsWith('done '))))
    const codes = await Promise.all(children.map((c) => c.exited))
    const end = Math.max(...dones.map((d) => d?.at ?? performance.now()))
    const cpu1 = cpuMs(server?.proc.pid)
    let errors = 0
    let retries = 0
    children.forEach((c, i) => {
      const d = dones[i]
      if (!d || codes[i] !== 0) {
        errors++
        console.error(`client ${i}: ${c.stderr().trim()}`)
      } else {
        const [, e, r] = d.line.split(' ')
        errors += Number(e)
        retries += Number(r)
      }
    })
    const serverCpuPerBatch = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / ((CLIENTS * POINTS_EACH) / BATCH) : undefined
    return { seconds: (end - go) / 1000, errors, retries, serverCpuPerBatch }
  } finally {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL')
  }
}

const TOTAL = CLIENTS * POINTS_EACH

const cpuNote = (r: LoadResult) => (r.serverCpuPerBatch === undefined ? '' : `; server CPU ${fmt(r.serverCpuPerBatch, 2)} ms per batch`)

/** Points stored, and points stored more than once (a second seq at one step of one series). */
async function countPg(url: string): Promise<{ stored: number; dup: number }> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const r = await c.query('SELECT count(*)::int AS n, count(*) FILTER (WHERE seq > 0)::int AS dup FROM points')
    return { stored: r.rows[0].n, dup: r.rows[0].dup }
  } finally {
    await c.end()
  }
}

function countSqlite(path: string): { stored: number; dup: number } {
  using db = new Database({ path })
  const [r] = db.query<{ n: number; dup: number }>('SELECT count(*) AS n, sum(seq > 0) AS dup FROM points')
  return { stored: r?.n ?? 0, dup: r?.dup ?? 0 }
}

/** Baseline: the same points with logBatch into a file, one process, no server. */
function sqliteBaseline(path: string): number {
  using db = new Database({ path })
  const t = performance.now()
  for (let i = 0; i < CLIENTS; i++) {
    for (let start = 0; start < POINTS_EACH; start += BATCH) {
      const pts = []
      for (let step = start; step < start + BATCH; step++) pts.push({ name: 'loss', split: 'train', step, value: 1 / (step + 1), time: step })
      db.logBatch(`base-${i}`, pts)
    }
  }
  return TOTAL / ((performance.now() - t) / 1000)
}

/** Baseline: 16 connections inserting the same batches straight into a points-shaped table, no server, no summaries. */
async function pgBaseline(url: string): Promise<number> {
  const setup = new pg.Client({ connectionString: url })
  await setup.connect()
  await setup.query('CREATE TABLE raw_points (series_id bigint, step bigint, seq int, time bigint, value double precision, PRIMARY KEY (series_id, step, seq))')
  await setup.end()
  const t = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      for (let start = 0; start < POINTS_EACH; start += BATCH) {
        const steps = Array.from({ length: BATCH }, (_, k) => start + k)
        await c.query('INSERT INTO raw_points SELECT $1, s, 0, s, 1.0 / (s + 1) FROM unnest($2::bigint[]) s', [i, steps])
      }
      await c.end()
    }),
  )
  return TOTAL / ((performance.now() - t) / 1000)
}

/** 10,000 experiments with 5 params and 5 series each, written by SQL (the listing, not the writing, is measured). */
async function fill10k(url: string): Promise<void> {
  const store = await PostgresStore.open(url)
  await store.close()
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query(`INSERT INTO projects (name, created_at) VALUES ('bench', 0);
    INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at, heartbeat_at, host, pid)
      SELECT 'exp-' || g, 1, 'COMPLETE', g, g, g + 1000, g + 1000, g + 1000, 'host', 1 FROM generate_series(1, 10000) g;
    INSERT INTO params (experiment_id, key, value) SELECT e.id, k, (e.id * 0.001 + length(k))::text FROM experiments e, unnest(ARRAY['lr','bs','wd','dropout','layers']) k;
    INSERT INTO series (experiment_id, name, split, count, first_step, last_step, last_time, last_value, min_value, max_value, nan_count)
      SELECT e.id, n, 'valid', 100, 0, 99, 1, random(), 0, 1, 0 FROM experiments e, unnest(ARRAY['loss','acc','f1','auc','rmse']) n;`)
  await c.end()
}

/** Baseline: the same rows read with plain SQL (experiments, params, series) by one client. */
async function plainListMs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    await c.query('SELECT * FROM experiments e JOIN projects p ON p.id = e.project_id ORDER BY e.created_at DESC')
    await c.query('SELECT * FROM params')
    await c.query('SELECT * FROM series')
    times.push(performance.now() - t)
  }
  await c.end()
  return median(times)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

async function serverListMs(base: string): Promise<{ ms: number; count: number }> {
  const times: number[] = []
  let count = 0
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const res = await fetch(new URL('/api/experiments?limit=10000', base), { headers: { authorization: `Bearer ${TOKEN}` } })
    const body = (await res.json()) as { experiments: unknown[] }
    times.push(performance.now() - t)
    count = body.experiments.length
  }
  return { ms: median(times), count }
}

/** Runs every server figure; PostgreSQL figures need a local PostgreSQL (apt-get install postgresql). */
export async function runServerBench(): Promise<Figure[]> {
  using dir = tempDir('server')
  const figures: Figure[] = []

  // SQLite file
  const file = dir.file('server.db')
  new Database({ path: file }).close()
  const baseSqlite = sqliteBaseline(dir.file('baseline.db'))
  const s1 = await startServer(file, dir.file('art1'), 0)
  let r: LoadResult
  try {
    r = await load(s1.url, undefined, s1)
  } finally {
    await s1.stop()
  }
  const c1 = countSqlite(file)
  const rate1 = TOTAL / r.seconds
  figures.push({
    key: 'server_sqlite_16clients_points_per_s',
    label: `mldb server on SQLite: 16 processes x ${fmt(POINTS_EACH)} pts, batches of ${BATCH}`,
    value: rate1,
    unit: 'pts/s',
    target: '>= 200,000',
    pass: rate1 >= 200_000 && r.errors === 0 && c1.stored === TOTAL && c1.dup === 0,
    baseline: `logBatch into a file, one process, no server: ${fmt(baseSqlite)} pts/s; ${r.errors} errors, ${TOTAL - c1.stored} lost, ${c1.dup} duplicated${cpuNote(r)}`,
    extra: {
      server_sqlite_baseline_points_per_s: baseSqlite,
      server_sqlite_errors: r.errors,
      server_sqlite_lost: TOTAL - c1.stored,
      server_sqlite_dup: c1.dup,
      ...(r.serverCpuPerBatch === undefined ? {} : { server_sqlite_server_cpu_ms_per_batch: r.serverCpuPerBatch }),
    },
  })

  if (!canStartPostgres()) {
    console.error('server bench: no PostgreSQL here (apt-get install postgresql); PostgreSQL figures skipped')
    return figures
  }
  const cluster = startPostgres() as Postgres
  try {
    // PostgreSQL: throughput
    const url = cluster.createDatabase('bench_load')
    const basePg = await pgBaseline(cluster.createDatabase('bench_raw'))
    await (await PostgresStore.open(url)).close()
    const s2 = await startServer(url, dir.file('art2'), 0)
    try {
      r = await load(s2.url, undefined, s2)
    } finally {
      await s2.stop()
    }
    const c2 = await countPg(url)
    const rate2 = TOTAL / r.seconds
    figures.push({
      key: 'server_pg_16clients_points_per_s',
      label: `mldb server on PostgreSQL: 16 processes x ${fmt(POINTS_EACH)} pts, batches of ${BATCH}`,
      value: rate2,
      unit: 'pts/s',
      target: '>= 100,000',
      pass: rate2 >= 100_000 && r.errors === 0 && c2.stored === TOTAL && c2.dup === 0,
      baseline: `raw INSERT ... unnest from 16 connections, no server: ${fmt(basePg)} pts/s; ${r.errors} errors, ${TOTAL - c2.stored} lost, ${c2.dup} duplicated${cpuNote(r)}`,
      extra: {
        server_pg_baseline_points_per_s: basePg,
        server_pg_errors: r.errors,
        server_pg_lost: TOTAL - c2.stored,
        server_pg_dup: c2.dup,
        ...(r.serverCpuPerBatch === undefined ? {} : { server_pg_server_cpu_ms_per_batch: r.serverCpuPerBatch }),
      },
    })

    // PostgreSQL: listing 10k
    const listUrl = cluster.createDatabase('bench_list')
    await fill10k(listUrl)
    const plain = await plainListMs(listUrl)
    const s3 = await startServer(listUrl, dir.file('art3'), 0)
    let list: { ms: number; count: number }
    try {
      list = await serverListMs(s3.url)
    } finally {
      await s3.stop()
    }
    figures.push({
      key: 'server_pg_list_10k_ms',
      label: 'mldb server on PostgreSQL: list 10,000 experiments with params and series summaries (HTTP, median of 5)',
      value: list.ms,
      unit: 'ms',
      target: '<= 300',
      pass: list.ms <= 300 && list.count === 10_000,
      baseline: `plain SELECT of the same rows (experiments, params, series), no JSON: ${fmt(plain, 1)} ms`,
      extra: { server_pg_list_plain_ms: plain },
    })

    // PostgreSQL: SIGKILL the server mid-load, restart it on the same port, clients retry
    const killUrl = cluster.createDatabase('bench_kill')
    await (await PostgresStore.open(killUrl)).close()
    const port = await freePort()
    let server = await startServer(killUrl, dir.file('art4'), port)
    try {
      r = await load(server.url, async () => {
        await new Promise((res) => setTimeout(res, 300))
        await server.stop('SIGKILL')
        server = await startServer(killUrl, dir.file('art4'), port)
      })
    } finally {
      await server.stop()
    }
    const c4 = await countPg(killUrl)
    figures.push({
      key: 'server_restart_lost_points',
      label: 'SIGKILL of mldb server (PostgreSQL) mid-load, restarted, 16 clients retry: points lost + duplicated',
      value: TOTAL - c4.stored + c4.dup,
      unit: 'pts',
      target: '0',
      pass: c4.stored === TOTAL && c4.dup === 0 && r.errors === 0,
      baseline: `${fmt(TOTAL)} sent, ${fmt(c4.stored)} stored, ${c4.dup} duplicated, ${r.retries} retried requests, ${r.errors} errors`,
      extra: { server_restart_stored: c4.stored, server_restart_dup: c4.dup, server_restart_retries: r.retries },
    })
  } finally {
    cluster.stop()
  }
  return figures
}

// Run alone: npx tsx bench/server-bench.ts
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderTable } = await import('./lib/table.js')
  console.log(renderTable(await runServerBench()))
}
