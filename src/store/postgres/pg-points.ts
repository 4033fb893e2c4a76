import type { PoolClient } from 'pg'
import { sql } from '../../named-sql.js'
import { batchSummary, cutBlocks } from '../point-batch.js'
import { BLOCK_SIZE, type NewPoint } from '../points.js'
import { BEFORE_FIRST_STEP } from '../steps.js'

/**
 * Writes batches of points on PostgreSQL and keeps `series` and `point_blocks`
 * in step, in the caller's transaction: the same rules as PointWriter
 * (src/store/points.ts) for SQLite — duplicate steps take the next seq, blocks
 * of at least 64 points never split a step, a point at or before blocked_until
 * widens its block. Round trips are what a batch costs here, so a batch of one
 * series takes two whatever its size: lock every series row it touches (FOR
 * UPDATE, in id order, so concurrent batches of one series apply one after the
 * other and two batches never deadlock) together with the points still past
 * their last block, then one statement per series for its points, closed
 * blocks, summary and the experiment's heartbeat. Statements are prepared once
 * per connection (named).
 */

/** The points of one series in a batch. */
export interface SeriesBatch {
  seriesId: number
  points: readonly NewPoint[]
}

interface SeriesState {
  id: number
  blocked_until: number | null
  unblocked: number
  last_step: number | null
}

/**
 * A PostgreSQL array literal of numbers. pg would quote and escape every element
 * of a JS array (a third of the server's time on a batch); JavaScript's shortest
 * round-trip form is what float8in reads back exactly, NaN and ±Infinity included.
 */
export function pgNumbers(values: readonly (number | null | undefined)[]): string {
  let out = '{'
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (i > 0) out += ','
    out += v === null || v === undefined ? 'NULL' : String(v)
  }
  return `${out}}`
}

/** Summary columns keep NaN as NULL, as SQLite does, so filters mean the same on both. */
const summary = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v)

/**
 * Writes every series' points of one batch (one entry per series: groupPoints merges them); `beat` also sets the experiment's
 * heartbeat in the last series' statement (one round trip less).
 *
 * @example await writePgBatch(client, [{ seriesId: 7, points }], { experimentId: 3, now: Date.now() })
 */
export async function writePgBatch(client: PoolClient, batches: readonly SeriesBatch[], beat: { experimentId: number; now: number }): Promise<void> {
  const todo = batches.filter((b) => b.points.length > 0)
  if (todo.length === 0) {
    await client.query({
      name: 'mldb-beat',
      text: sql('experiments/heartbeat-and-touch', 'postgres'),
      values: [beat.now, beat.experimentId],
    })
    return
  }
  const ids = [...new Set(todo.map((b) => b.seriesId))].sort((a, b) => a - b)
  // The lock also reads each series' points past blocked_until (fewer than 64): one round trip less.
  // Those come from the statement's snapshot, taken before a wait for the lock, while the row is the
  // latest committed; a count other than `unblocked` means another batch landed meanwhile: read again.
  const locked = await client.query({
    name: 'mldb-lock-series',
    text: `SELECT s.id, s.blocked_until, s.unblocked, s.last_step, q.steps, q.times, q.vals
           FROM series s CROSS JOIN LATERAL (
             SELECT array_agg(p.step::float8 ORDER BY p.step, p.seq) AS steps, array_agg(p.time::float8 ORDER BY p.step, p.seq) AS times,
                    array_agg(p.value ORDER BY p.step, p.seq) AS vals
             FROM points p WHERE p.series_id = s.id AND p.step > coalesce(s.blocked_until, ${BEFORE_FIRST_STEP})) q
           WHERE s.id = ANY($1::bigint[]) ORDER BY s.id FOR UPDATE OF s`,
    values: [pgNumbers(ids)],
  })
  const states = new Map<number, SeriesState>()
  const seen = new Map<number, NewPoint[]>()
  for (const row of locked.rows as (SeriesState & { steps: number[] | null; times: number[] | null; vals: number[] | null })[]) {
    const { steps, times, vals, ...state } = row
    states.set(state.id, state)
    seen.set(
      state.id,
      (steps ?? []).map((step, i) => ({ step, time: (times as number[])[i] as number, value: (vals as number[])[i] as number })),
    )
  }
  for (const id of ids) if (!states.has(id)) throw new Error(`BUG: series ${id} is gone inside its transaction`)
  const stale = [...states.values()].filter((st) => (seen.get(st.id) as NewPoint[]).length !== st.unblocked)
  const pending = stale.length ? new Map([...seen, ...(await readPending(client, stale))]) : seen
  for (const [i, b] of todo.entries()) {
    const s = states.get(b.seriesId) as SeriesState
    // the stored points past the last block matter only when the batch closes one
    const fresh = s.blocked_until === null ? b.points.length : b.points.filter((p) => p.step > (s.blocked_until as number)).length
    const closes = s.unblocked + fresh >= BLOCK_SIZE
    await writeSeries(client, s, b.points, closes ? pending.get(b.seriesId) : undefined, i === todo.length - 1 ? beat : undefined)
  }
}

/**
 * The points past blocked_until of each series, in table order (fewer than 64
 * each), read after the series' lock. One statement per series: a join over
 * unnest() gets a generic plan that scans the whole table once prepared.
 */
async function readPending(client: PoolClient, states: readonly SeriesState[]): Promise<Map<number, NewPoint[]>> {
  const out = new Map<number, NewPoint[]>()
  for (const s of states) {
    const r = await client.query({
      name: 'mldb-pending',
      text: 'SELECT step, time, value FROM points WHERE series_id = $1 AND step > $2 ORDER BY step, seq',
      values: [s.id, s.blocked_until ?? BEFORE_FIRST_STEP],
    })
    out.set(s.id, r.rows as NewPoint[])
  }
  return out
}

// Past every stored step (the common case) seq is the count of earlier equal steps in the batch;
// otherwise it follows the step's highest stored seq, then the order of the batch.
const APPEND = 'INSERT INTO points (series_id, step, seq, time, value) SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::float8[])'
const INSERT = `INSERT INTO points (series_id, step, seq, time, value)
  SELECT $1, u.step, coalesce((SELECT max(seq) + 1 FROM points q WHERE q.series_id = $1 AND q.step = u.step), 0) + u.seq, u.time, u.value
  FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::float8[]) AS u(step, seq, time, value)`

/** One statement for the points, the closed blocks, the series summary and (beat) the experiment's heartbeat. */
const writeSql = (insertPoints: string) => `WITH ins AS (${insertPoints}),
  blk AS (INSERT INTO point_blocks (series_id, first_step, last_step, count, min_value, max_value, last_value, last_time, nan_count)
          SELECT $1, * FROM unnest($16::bigint[], $17::bigint[], $18::bigint[], $19::float8[], $20::float8[], $21::float8[], $22::bigint[], $23::bigint[])),
  beat AS (UPDATE experiments SET heartbeat_at = $24, updated_at = $24 WHERE id = $25)
  UPDATE series SET count = count + $6,
    first_step = CASE WHEN first_step IS NULL OR $7 < first_step THEN $7 ELSE first_step END,
    last_time  = CASE WHEN last_step IS NULL OR $8 >= last_step THEN $9 ELSE last_time END,
    last_value = CASE WHEN last_step IS NULL OR $8 >= last_step THEN $10 ELSE last_value END,
    last_step  = CASE WHEN last_step IS NULL OR $8 >= last_step THEN $8 ELSE last_step END,
    min_value  = CASE WHEN $11::float8 IS NULL THEN min_value WHEN min_value IS NULL OR $11 < min_value THEN $11 ELSE min_value END,
    max_value  = CASE WHEN $12::float8 IS NULL THEN max_value WHEN max_value IS NULL OR $12 > max_value THEN $12 ELSE max_value END,
    nan_count  = nan_count + $13,
    blocked_until = coalesce($14::bigint, blocked_until),
    unblocked  = CASE WHEN $14::bigint IS NULL THEN unblocked + $15 ELSE $15 END
  WHERE id = $1`
const WRITE_APPEND = writeSql(APPEND)
const WRITE_INSERT = writeSql(INSERT)

async function writeSeries(
  client: PoolClient,
  state: SeriesState,
  points: readonly NewPoint[],
  pending: NewPoint[] | undefined,
  beat: { experimentId: number; now: number } | undefined,
): Promise<void> {
  const bu = state.blocked_until
  const fresh = bu === null ? points : points.filter((p) => p.step > bu)
  const sum = batchSummary(points)
  // Blocks closed by this batch, cut in memory from the points past blocked_until (stored ones first, stable by step).
  const cut = pending ? cutBlocks(pending.concat(fresh).sort((a, b) => a.step - b.step)) : undefined
  if (bu !== null) {
    for (const p of points) if (p.step <= bu) await widenBlock(client, state.id, p)
  }
  const appending = state.last_step === null || sum.first.step > state.last_step
  const seen = new Map<number, number>()
  const seqs = points.map((p) => {
    const n = seen.get(p.step) ?? 0
    seen.set(p.step, n + 1)
    return n
  })
  const blocks = cut?.blocks ?? []
  await client.query({
    name: appending ? 'mldb-write-append' : 'mldb-write-insert',
    text: appending ? WRITE_APPEND : WRITE_INSERT,
    values: [
      state.id,
      pgNumbers(points.map((p) => p.step)),
      pgNumbers(seqs),
      pgNumbers(points.map((p) => p.time)),
      pgNumbers(points.map((p) => p.value)),
      points.length,
      sum.first.step,
      sum.last.step,
      sum.last.time,
      summary(sum.last.value),
      summary(sum.min),
      summary(sum.max),
      sum.nan,
      cut?.lastClosed ?? null,
      cut?.lastClosed === undefined ? fresh.length : cut.rest,
      pgNumbers(blocks.map((b) => b.firstStep)),
      pgNumbers(blocks.map((b) => b.lastStep)),
      pgNumbers(blocks.map((b) => b.count)),
      pgNumbers(blocks.map((b) => summary(b.min))),
      pgNumbers(blocks.map((b) => summary(b.max))),
      pgNumbers(blocks.map((b) => summary(b.lastValue))),
      pgNumbers(blocks.map((b) => b.lastTime)),
      pgNumbers(blocks.map((b) => b.nan)),
      beat?.now ?? null,
      beat?.experimentId ?? null,
    ],
  })
}

async function widenBlock(client: PoolClient, seriesId: number, p: NewPoint): Promise<void> {
  await client.query({
    name: 'mldb-widen-block',
    text: sql('points/block-widen', 'postgres'),
    values: [seriesId, p.step, summary(p.value), p.time],
  })
}
