// Single-process write figures (per call, batched, raw baseline), disk per point
// and downsampling, each against a baseline measured in the same run.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Database, type Durability } from '../src/index.js'
import { makeBatches } from './lib/data.js'
import { type Figure, fmt } from './lib/figure.js'
import { median, medianMs, timeMs } from './lib/measure.js'
import { openRawPoints, readSettings } from './lib/raw-table.js'
import { fileSize, tempDir } from './lib/temp.js'

const PER_CALL_POINTS = 20_000
const PER_CALL_POWER_POINTS = 1_000
/** The API and its raw baseline take turns, this many chunks each. */
const PER_CALL_CHUNKS = 10
const BATCH_SIZE = 10_000
const BATCH_CALLS = 30
const BATCH_SERIES = 5
const REPS = 3
const LONG_SERIES = 1_000_000
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * One addMetricValue per point, each its own durable commit; and the raw autocommit
 * insert with the same settings (synchronous=FULL for durability 'power'). The two
 * alternate in chunks, so a burst of load on a shared machine hits both alike.
 */
function perCall(dir: ReturnType<typeof tempDir>, rep: number, durability: Durability = 'process'): { api: number; raw: number } {
  // Each commit of 'power' waits for an fsync: fewer points, or the figure takes minutes.
  const points = durability === 'power' ? PER_CALL_POWER_POINTS : PER_CALL_POINTS
  const chunk = points / PER_CALL_CHUNKS
  using db = new Database({ path: dir.file(`per-call-${durability}-${rep}.db`), durability })
  db.setExpStatus('bench', 'TRAINING')
  const raw = openRawPoints(dir.file(`per-call-raw-${durability}-${rep}.db`), readSettings(db.sqlite))
  const insert = raw.prepare('INSERT INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)')
  let apiMs = 0
  let rawMs = 0
  for (let from = 0; from < points; from += chunk) {
    apiMs += timeMs(() => {
      for (let s = from; s < from + chunk; s++) db.addMetricValue('bench', 'loss', s, 1 / (s + 1.5))
    })
    rawMs += timeMs(() => {
      for (let s = from; s < from + chunk; s++) insert.run(1, s, Date.now(), 1 / (s + 1.5))
    })
  }
  raw.close()
  return { api: points / (apiMs / 1000), raw: points / (rawMs / 1000) }
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

/** Python's add_metric_value per point and a raw sqlite3 autocommit loop, in a child (bench/children/py-per-call.py). */
function perCallPython(dir: ReturnType<typeof tempDir>, rep: number): { api: number; raw: number } | undefined {
  const folder = dir.file(`py-${rep}`)
  mkdirSync(folder)
  const out = spawnSync('python3', [join(ROOT, 'bench', 'children', 'py-per-call.py'), folder, String(PER_CALL_POINTS)], { encoding: 'utf8' })
  if (out.status !== 0) {
    process.stderr.write(`bench: python per-call skipped: ${out.stderr || out.error}\n`)
    return undefined
  }
  return JSON.parse(out.stdout) as { api: number; raw: number }
}

/** The single-process figures. */
export function runWriterBench(): Figure[] {
  using dir = tempDir('writer')
  // Interleaved, so a burst of load on the shared machine hits each figure alike.
  const pc: { api: number; raw: number }[] = []
  const power: { api: number; raw: number }[] = []
  const py: { api: number; raw: number }[] = []
  for (let r = 0; r < REPS; r++) {
    pc.push(perCall(dir, r))
    power.push(perCall(dir, r, 'power'))
    const p = perCallPython(dir, r)
    if (p) py.push(p)
  }
  const bt = Array.from({ length: REPS }, (_, r) => batched(dir, r))
  const perCallApi = median(pc.map((x) => x.api))
  const perCallRaw = median(pc.map((x) => x.raw))
  const powerApi = median(power.map((x) => x.api))
  const powerRaw = median(power.map((x) => x.raw))
  const batchedApi = median(bt.map((x) => x.api))
  const batchedRaw = median(bt.map((x) => x.raw))
  const ratio = batchedApi / batchedRaw
  return [
    {
      key: 'per_call_points_per_s',
      label: `addMetricValue, one call per point (${fmt(PER_CALL_POINTS)} pts, median of ${REPS})`,
      value: perCallApi,
      unit: 'pts/s',
      target: '>= 0.67 x raw (>= 50,000 quiet)',
      pass: perCallApi >= 0.67 * perCallRaw,
      baseline: `raw INSERT, one transaction each: ${fmt(perCallRaw)}/s (${fmt(perCallApi / perCallRaw, 2)}x)`,
      extra: { per_call_raw_autocommit_points_per_s: perCallRaw, per_call_over_raw: perCallApi / perCallRaw },
    },
    {
      key: 'per_call_power_points_per_s',
      label: `addMetricValue with durability 'power' (synchronous=FULL), one call per point (${fmt(PER_CALL_POWER_POINTS)} pts, median of ${REPS})`,
      value: powerApi,
      unit: 'pts/s',
      target: '>= 0.67 x raw FULL',
      pass: powerApi >= 0.67 * powerRaw,
      baseline: `raw INSERT with synchronous=FULL: ${fmt(powerRaw)}/s (${fmt(powerApi / powerRaw, 2)}x)`,
      extra: { per_call_power_raw_points_per_s: powerRaw, per_call_power_over_raw: powerApi / powerRaw },
    },
    ...pythonFigure(py),
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

function pythonFigure(py: { api: number; raw: number }[]): Figure[] {
  if (py.length === 0) return []
  const api = median(py.map((x) => x.api))
  const raw = median(py.map((x) => x.raw))
  return [
    {
      key: 'per_call_py_points_per_s',
      label: `Python add_metric_value, one call per point (${fmt(PER_CALL_POINTS)} pts, median of ${py.length})`,
      value: api,
      unit: 'pts/s',
      target: '>= 0.67 x raw Python',
      pass: api >= 0.67 * raw,
      baseline: `raw Python sqlite3 INSERT, one commit each: ${fmt(raw)}/s (${fmt(api / raw, 2)}x)`,
      extra: { per_call_py_raw_points_per_s: raw, per_call_py_over_raw: api / raw },
    },
  ]
}
