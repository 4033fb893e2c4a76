// Single-process write figures (per call, batched, raw baseline), disk per point
// and downsampling, each against a baseline measured in the same run.
import { Database } from '../src/index.js'
import { makeBatches } from './lib/data.js'
import { type Figure, fmt } from './lib/figure.js'
import { median, medianMs, timeMs } from './lib/measure.js'
import { openRawPoints, readSettings } from './lib/raw-table.js'
import { fileSize, tempDir } from './lib/temp.js'

const PER_CALL_POINTS = 20_000
const BATCH_SIZE = 10_000
const BATCH_CALLS = 30
const BATCH_SERIES = 5
const REPS = 3
const LONG_SERIES = 1_000_000

/** One addMetricValue per point, each its own durable transaction; and the raw autocommit insert. */
function perCall(dir: ReturnType<typeof tempDir>, rep: number): { api: number; raw: number } {
  using db = new Database({ path: dir.file(`per-call-${rep}.db`) })
  db.setExpStatus('bench', 'TRAINING')
  const api = timeMs(() => {
    for (let s = 0; s < PER_CALL_POINTS; s++) db.addMetricValue('bench', 'loss', s, 1 / (s + 1.5))
  })
  const raw = openRawPoints(dir.file(`per-call-raw-${rep}.db`), readSettings(db.sqlite))
  const insert = raw.prepare('INSERT INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)')
  const now = Date.now()
  const rawMs = timeMs(() => {
    for (let s = 0; s < PER_CALL_POINTS; s++) insert.run(1, s, now, 1 / (s + 1.5))
  })
  raw.close()
  return { api: PER_CALL_POINTS / (api / 1000), raw: PER_CALL_POINTS / (rawMs / 1000) }
}

/** logBatch of BATCH_SIZE values per call; and the raw prepared INSERT loop in one transaction. */
function batched(dir: ReturnType<typeof tempDir>, rep: number): { api: number; raw: number } {
  const batches = makeBatches(BATCH_CALLS, BATCH_SIZE, BATCH_SERIES)
  const total = BATCH_CALLS * BATCH_SIZE
  using db = new Database({ path: dir.file(`batched-${rep}.db`) })
  db.setExpStatus('bench', 'TRAINING')
  const api = timeMs(() => {
    for (const b of batches) db.logBatch('bench', b)
  })
  const raw = openRawPoints(dir.file(`batched-raw-${rep}.db`), readSettings(db.sqlite))
  const insert = raw.prepare('INSERT INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)')
  const ids = new Map<string, number>()
  const rows = batches.flat().map((p) => {
    let id = ids.get(p.name)
    if (id === undefined) {
      id = ids.size + 1
      ids.set(p.name, id)
    }
    return [id, p.step, p.time as number, p.value] as const
  })
  const rawMs = timeMs(() =>
    raw.transaction(() => {
      for (const r of rows) insert.run(r[0], r[1], r[2], r[3])
    })(),
  )
  raw.close()
  return { api: total / (api / 1000), raw: total / (rawMs / 1000) }
}

/** A 1,000,000-point series: bytes per point after a checkpoint, and downsampling to 1,000 buckets. */
function longSeries(dir: ReturnType<typeof tempDir>): Figure[] {
  const path = dir.file('long.db')
  using db = new Database({ path })
  db.setExpStatus('long', 'TRAINING')
  const t0 = Date.now()
  const buildMs = timeMs(() => {
    for (const b of makeBatches(LONG_SERIES / BATCH_SIZE, BATCH_SIZE, 1, t0)) db.logBatch('long', b)
  })
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  const size = fileSize(path)
  const bytes = size / LONG_SERIES
  let pointsTable = Number.NaN
  let blocksTable = Number.NaN
  try {
    const pg = (name: string) => (db.sqlite.prepare('SELECT sum(pgsize) AS n FROM dbstat WHERE name = ?').get(name) as { n: number }).n
    pointsTable = pg('points') / LONG_SERIES
    blocksTable = pg('point_blocks') / LONG_SERIES
  } catch {
    // dbstat is not compiled into every SQLite; the file size still stands.
  }

  const ds = () => db.downsample('long', 'train/s0', { buckets: 1000 })
  const buckets = ds()
  const dsMs = medianMs(7, () => void ds())
  // Baseline: what a chart would cost without point_blocks — scan every point in JS.
  const scan = db.sqlite.prepare('SELECT step, value FROM points WHERE series_id = (SELECT id FROM series WHERE name = ?) ORDER BY step, seq').raw()
  const naiveMs = medianMs(
    3,
    () => {
      const min = new Float64Array(1000).fill(Number.POSITIVE_INFINITY)
      const max = new Float64Array(1000).fill(Number.NEGATIVE_INFINITY)
      for (const [step, v] of scan.iterate('s0') as Iterable<[number, number]>) {
        const i = Math.min(999, Math.floor(step / 1000))
        if (v < (min[i] as number)) min[i] = v
        if (v > (max[i] as number)) max[i] = v
      }
    },
    false,
  )
  return [
    {
      key: 'bytes_per_point',
      label: 'disk per point (1M-point series, after checkpoint)',
      value: bytes,
      unit: 'B',
      target: '<= 32',
      pass: bytes <= 32,
      baseline: Number.isNaN(pointsTable) ? 'dbstat unavailable' : `points table ${fmt(pointsTable, 1)} B, point_blocks ${fmt(blocksTable, 1)} B`,
      extra: {
        bytes_per_point_points_table: pointsTable,
        bytes_per_point_blocks_table: blocksTable,
        long_series_file_bytes: size,
        long_series_build_ms: buildMs,
      },
    },
    {
      key: 'downsample_1m_ms',
      label: 'downsample 1M points to 1,000 buckets (median of 7)',
      value: dsMs,
      unit: 'ms',
      target: '<= 50',
      pass: dsMs <= 50 && buckets.length === 1000 && buckets.reduce((n, b) => n + b.count, 0) === LONG_SERIES,
      baseline: `full scan in JS ${fmt(naiveMs, 1)} ms`,
      extra: { downsample_buckets: buckets.length, downsample_naive_scan_ms: naiveMs },
    },
  ]
}

/** The single-process figures. */
export function runWriterBench(): Figure[] {
  using dir = tempDir('writer')
  const pc = Array.from({ length: REPS }, (_, r) => perCall(dir, r))
  const bt = Array.from({ length: REPS }, (_, r) => batched(dir, r))
  const perCallApi = median(pc.map((x) => x.api))
  const perCallRaw = median(pc.map((x) => x.raw))
  const batchedApi = median(bt.map((x) => x.api))
  const batchedRaw = median(bt.map((x) => x.raw))
  const ratio = batchedApi / batchedRaw
  return [
    {
      key: 'per_call_points_per_s',
      label: `addMetricValue, one call per point (${fmt(PER_CALL_POINTS)} pts, median of ${REPS})`,
      value: perCallApi,
      unit: 'pts/s',
      target: '>= 50,000',
      pass: perCallApi >= 50_000,
      baseline: `raw INSERT, one transaction each: ${fmt(perCallRaw)}/s (${fmt(perCallApi / perCallRaw, 2)}x)`,
      extra: { per_call_raw_autocommit_points_per_s: perCallRaw },
    },
    {
      key: 'batched_points_per_s',
      label: `logBatch, ${fmt(BATCH_SIZE)} values per call over ${BATCH_SERIES} series (${fmt(BATCH_CALLS * BATCH_SIZE)} pts, median of ${REPS})`,
      value: batchedApi,
      unit: 'pts/s',
      target: '>= 0.6 x raw',
      pass: ratio >= 0.6,
      baseline: `raw: ${fmt(batchedRaw)}/s; ratio ${fmt(ratio, 2)}`,
      extra: { batched_over_raw: ratio, batched_batch_size: BATCH_SIZE },
    },
    {
      key: 'raw_sqlite_points_per_s',
      label: 'raw better-sqlite3 INSERT loop, one transaction, same table shape and settings',
      value: batchedRaw,
      unit: 'pts/s',
      target: '(baseline)',
      pass: undefined,
      baseline: 'peer: DESIGN.md quotes ~537k/s',
    },
    ...longSeries(dir),
  ]
}
