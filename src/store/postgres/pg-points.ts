import type { PoolClient } from 'pg'
import { BLOCK_SIZE, type NewPoint } from '../points.js'

/**
 * Writes points of one series on PostgreSQL and keeps `series` and
 * `point_blocks` in step, in the caller's transaction: the same rules as
 * PointWriter (src/store/points.ts) for SQLite — duplicate steps take the next
 * seq, blocks of at least 64 points never split a step, a point at or before
 * blocked_until widens its block — with one statement per kind of row.
 * The series row is locked first (FOR UPDATE), so concurrent batches of one
 * series apply one after the other.
 */
export async function writePgPoints(
  client: PoolClient,
  seriesId: number,
  points: readonly NewPoint[],
  beat?: { experimentId: number; now: number },
): Promise<void> {
  if (points.length === 0) return
  const state = (await client.query('SELECT blocked_until, unblocked, last_step FROM series WHERE id = $1 FOR UPDATE', [seriesId])).rows[0] as
    | { blocked_until: number | null; unblocked: number; last_step: number | null }
    | undefined
  if (!state) throw new Error(`BUG: series ${seriesId} is gone inside its transaction`)
  const bu = state.blocked_until
  const fresh: NewPoint[] = []
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let nan = 0
  let first = points[0] as NewPoint
  let last = first
  for (const p of points) {
    if (Number.isNaN(p.value)) nan++
    else {
      if (p.value < min) min = p.value
      if (p.value > max) max = p.value
    }
    if (p.step < first.step) first = p
    if (p.step >= last.step) last = p
    if (bu === null || p.step > bu) fresh.push(p)
  }
  const pending = state.unblocked + fresh.length >= BLOCK_SIZE ? await readPending(client, seriesId, bu) : undefined
  // Blocks closed by this batch, cut in memory from the points past blocked_until (stored ones first, stable by step).
  const blocks = pending ? cutBlocks(pending.concat(fresh).sort((a, b) => a.step - b.step)) : undefined
  if (bu !== null) {
    for (const p of points) if (p.step <= bu) await widenBlock(client, seriesId, p)
  }
  // Past every stored step (the common case) seq is the count of earlier equal steps in the batch;
  // otherwise it follows the step's highest stored seq, then the order of the batch.
  const appending = state.last_step === null || first.step > state.last_step
  const seen = new Map<number, number>()
  const seqs = points.map((p) => {
    const n = seen.get(p.step) ?? 0
    seen.set(p.step, n + 1)
    return n
  })
  const insertPoints = appending
    ? 'INSERT INTO points (series_id, step, seq, time, value) SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::float8[])'
    : `INSERT INTO points (series_id, step, seq, time, value)
       SELECT $1, u.step, coalesce((SELECT max(seq) + 1 FROM points q WHERE q.series_id = $1 AND q.step = u.step), 0) + u.seq, u.time, u.value
       FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::float8[]) AS u(step, seq, time, value)`
  const any = nan < points.length
  const b = blocks?.cols ?? { first: [], last: [], count: [], min: [], max: [], lastV: [], time: [], nan: [] }
  // One statement for the points, the closed blocks, the series summary and the experiment's heartbeat.
  await client.query(
    `WITH ins AS (${insertPoints}),
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
     WHERE id = $1`,
    [
      seriesId,
      points.map((p) => p.step),
      seqs,
      points.map((p) => p.time),
      points.map((p) => p.value),
      points.length,
      first.step,
      last.step,
      last.time,
      summary(last.value),
      any ? min : null,
      any ? max : null,
      nan,
      blocks?.lastClosed ?? null,
      blocks?.lastClosed === undefined ? fresh.length : blocks.rest,
      b.first,
      b.last,
      b.count,
      b.min,
      b.max,
      b.lastV,
      b.time,
      b.nan,
      beat?.now ?? null,
      beat?.experimentId ?? null,
    ],
  )
}

/** Summary columns keep NaN as NULL, as SQLite does, so filters mean the same on both. */
const summary = (v: number): number | null => (Number.isNaN(v) ? null : v)

async function readPending(client: PoolClient, seriesId: number, blockedUntil: number | null): Promise<NewPoint[]> {
  const r = await client.query({
    text: 'SELECT step, time, value FROM points WHERE series_id = $1 AND step > $2 ORDER BY step, seq',
    values: [seriesId, blockedUntil ?? Number.MIN_SAFE_INTEGER],
  })
  return r.rows as NewPoint[]
}

async function widenBlock(client: PoolClient, seriesId: number, p: NewPoint): Promise<void> {
  const v = summary(p.value)
  await client.query(
    `UPDATE point_blocks SET
        count = count + 1,
        min_value = CASE WHEN $3::float8 IS NULL THEN min_value WHEN min_value IS NULL OR $3 < min_value THEN $3 ELSE min_value END,
        max_value = CASE WHEN $3::float8 IS NULL THEN max_value WHEN max_value IS NULL OR $3 > max_value THEN $3 ELSE max_value END,
        nan_count = nan_count + (CASE WHEN $3::float8 IS NULL THEN 1 ELSE 0 END),
        last_value = CASE WHEN $2 >= last_step THEN $3 ELSE last_value END,
        last_time = CASE WHEN $2 >= last_step THEN $4 ELSE last_time END,
        last_step = CASE WHEN $2 > last_step THEN $2 ELSE last_step END,
        first_step = least(first_step, $2)
      WHERE series_id = $1 AND first_step = coalesce(
        (SELECT max(first_step) FROM point_blocks WHERE series_id = $1 AND first_step <= $2),
        (SELECT min(first_step) FROM point_blocks WHERE series_id = $1))`,
    [seriesId, p.step, v, p.time],
  )
}

interface BlockColumns {
  first: number[]
  last: number[]
  count: number[]
  min: (number | null)[]
  max: (number | null)[]
  lastV: (number | null)[]
  time: number[]
  nan: number[]
}

/**
 * Cuts points (all past blocked_until, in table order) into blocks of ≥ 64 that
 * never split a step, as columns for one INSERT; `lastClosed` is the new
 * blocked_until (undefined: no block closed) and `rest` the points left past it.
 */
function cutBlocks(points: NewPoint[]): { cols: BlockColumns; lastClosed: number | undefined; rest: number } {
  const cols: BlockColumns = { first: [], last: [], count: [], min: [], max: [], lastV: [], time: [], nan: [] }
  let start = 0
  let lastClosed: number | undefined
  while (points.length - start >= BLOCK_SIZE) {
    let end = start + BLOCK_SIZE
    while (end < points.length && (points[end] as NewPoint).step === (points[end - 1] as NewPoint).step) end++
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let nan = 0
    for (let i = start; i < end; i++) {
      const v = (points[i] as NewPoint).value
      if (Number.isNaN(v)) nan++
      else {
        if (v < min) min = v
        if (v > max) max = v
      }
    }
    const firstP = points[start] as NewPoint
    const lastP = points[end - 1] as NewPoint
    const any = nan < end - start
    cols.first.push(firstP.step)
    cols.last.push(lastP.step)
    cols.count.push(end - start)
    cols.min.push(any ? min : null)
    cols.max.push(any ? max : null)
    cols.lastV.push(summary(lastP.value))
    cols.time.push(lastP.time)
    cols.nan.push(nan)
    lastClosed = lastP.step
    start = end
  }
  return { cols, lastClosed, rest: points.length - start }
}
