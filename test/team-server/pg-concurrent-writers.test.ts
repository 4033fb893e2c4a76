// One run written at the same moment by an mldb client's sender (/api points, status, tags) and
// an MLflow client (log-batch, log-metric, update) on a team server on PostgreSQL: every
// request answers 200 (no deadlock surfaces as a 500) and every point is stored exactly once.
import { randomUUID } from 'node:crypto'
import type { Hono } from 'hono'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { mapError } from '../../src/store/postgres/pg-store.js'
import type { Store } from '../../src/store/store.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const TOKEN = 'pg-writers-token'
const ROUNDS = 12
const WRITERS = 4 // of each side, per round
const SERIES = ['loss', 'acc', 'lr']

describe('concurrent MLflow and mldb writers of one run on PostgreSQL', () => {
  let app: Hono
  let store: Store
  let db: string
  const client = randomUUID()
  let seq = 0

  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    })
    return { path, status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    const pg = BACKENDS.find((b) => b.name === 'postgres') as (typeof BACKENDS)[number]
    const fresh = await pg.fresh()
    store = fresh.store
    db = fresh.db
    app = createServerApp({ store, artifactsDir: tempDir('mldb-pg-writers-').dir, maxArtifactBytes: 2 ** 20, startToken: TOKEN })
  }, 120_000)

  it('answers every write 200 and keeps every point once', async () => {
    const exp = await post('/api/2.0/mlflow/experiments/create', { name: 'race' })
    const run = await post('/api/2.0/mlflow/runs/create', { experiment_id: exp.body.experiment_id, run_name: 'race-run', start_time: 1 })
    const info = (run.body.run as { info: { run_id: string; run_name: string } }).info
    const name = info.run_name
    // every series exists before the race: both sides then lock existing series rows
    const first = await post(`/api/experiments/${name}/points`, {
      client,
      seq: ++seq,
      points: SERIES.map((s) => ({ name: s, split: '', step: 0, value: 0, time: 1 })),
    })
    expect(first.status).toBe(200)

    const expected = new Map<string, number[]>(SERIES.map((s) => [s, [0]]))
    let step = 0
    const next = (s: string) => {
      step += 1
      ;(expected.get(s) as number[]).push(step)
      return step
    }
    for (let round = 0; round < ROUNDS; round++) {
      const calls: Promise<{ path: string; status: number; body: Record<string, unknown> }>[] = []
      for (let w = 0; w < WRITERS; w++) {
        // both sides touch the series in opposite orders, with tags and status in between
        const order = w % 2 === 0 ? SERIES : [...SERIES].reverse()
        const mine = order.map((s) => ({ name: s, split: '', step: next(s), value: round + w / 10, time: 1000 + round }))
        const theirs = order.map((s) => ({ key: s, step: next(s), value: round + w / 10, timestamp: 2000 + round }))
        const one = { key: order[0] as string, step: next(order[0] as string), value: -round, timestamp: 3000 + round }
        calls.push(post(`/api/experiments/${name}/points`, { client, seq: ++seq, points: mine }))
        calls.push(post('/api/2.0/mlflow/runs/log-batch', { run_id: info.run_id, metrics: theirs, tags: [{ key: `t${w}`, value: `${round}` }] }))
        calls.push(post('/api/2.0/mlflow/runs/log-metric', { run_id: info.run_id, ...one }))
        if (w === 0) {
          calls.push(post(`/api/experiments/${name}/status`, { client, seq: ++seq, status: 'TRAINING' }))
          calls.push(post(`/api/experiments/${name}/tags`, { client, seq: ++seq, tags: { [`t${w}`]: `${round}` } }))
          calls.push(post('/api/2.0/mlflow/runs/update', { run_id: info.run_id, status: 'RUNNING' }))
        }
      }
      const answers = await Promise.all(calls)
      expect(answers.filter((a) => a.status !== 200)).toEqual([])
    }

    for (const s of SERIES) {
      const got = (await store.getPoints(name, s)).map((p) => p.step)
      expect(got).toEqual((expected.get(s) as number[]).slice().sort((a, b) => a - b))
    }
    const summary = (await store.getSeries(name)).find((x) => x.name === 'loss')
    expect(summary?.count).toBe(expected.get('loss')?.length)
  }, 600_000)

  it('runs a transaction again after PostgreSQL cancels it as a deadlock, and answers 200', async () => {
    const name = 'deadlock-victim'
    expect((await post('/api/experiments', { client, seq: ++seq, name })).status).toBe(201)
    expect((await post(`/api/experiments/${name}/points`, { client, seq: ++seq, points: [{ name: 'x', split: '', step: 0, value: 0, time: 1 }] })).status).toBe(
      200,
    )
    const other = new pg.Client({ connectionString: db })
    const watch = new pg.Client({ connectionString: db })
    await other.connect()
    await watch.connect()
    try {
      // Another session (not mldb) takes the locks in the opposite order: the series, then the experiment.
      // Its deadlock_timeout is long, so the server's transaction is the one PostgreSQL cancels.
      await other.query('BEGIN')
      await other.query("SET LOCAL deadlock_timeout = '60s'")
      const [ids] = (
        await other.query(
          "SELECT s.id AS series, e.id AS exp FROM series s JOIN experiments e ON e.id = s.experiment_id WHERE e.name = $1 AND s.name = 'x' FOR UPDATE OF s",
          [name],
        )
      ).rows
      const write = post(`/api/experiments/${name}/points`, { client, seq: ++seq, points: [{ name: 'x', split: '', step: 1, value: 1, time: 2 }] })
      // the server's write now holds the experiment's row and waits for the series' (bounded polling, no clock)
      for (let i = 0; i < 10_000; i++) {
        const waiting = await watch.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1", [
          (await other.query('SELECT pg_backend_pid() AS pid')).rows[0].pid,
        ])
        if (waiting.rowCount) break
      }
      await other.query('UPDATE experiments SET updated_at = updated_at WHERE id = $1', [ids.exp])
      await other.query('COMMIT')
      const answer = await write
      expect(answer.status).toBe(200)
      expect(answer.body.duplicate).toBe(false)
    } finally {
      await other.end()
      await watch.end()
    }
    expect((await store.getPoints(name, 'x')).map((p) => p.step)).toEqual([0, 1])
  }, 120_000)

  it('answers a deadlock left after the retries as 503 unavailable, not a 500', () => {
    const e = mapError(Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'here')
    expect(e.name).toBe('StoreUnavailableError')
  })
})
