// Sixteen real processes logging into one file at once: points/s together,
// errors, and points missing afterwards.
import { Database } from '../src/index.js'
import { type BenchChild, startBenchChild } from './lib/child.js'
import { type Figure, fmt } from './lib/figure.js'
import { tempDir } from './lib/temp.js'

const WRITERS = 16
const POINTS_EACH = 20_000
const BATCH = 500
/** One addMetricValue call per point: fewer points, as each is its own commit. */
const PER_CALL_POINTS_EACH = 5_000

/** The sixteen writers with logBatch of 500, then with one call per point. */
export async function runConcurrentBench(): Promise<Figure[]> {
  return [...(await runWriters(POINTS_EACH, BATCH)), ...(await runWriters(PER_CALL_POINTS_EACH, 1))]
}

/** Runs the sixteen writers once; throughput is measured from "go" to the last "done". */
async function runWriters(pointsEach: number, batch: number): Promise<Figure[]> {
  using dir = tempDir('concurrent')
  const path = dir.file('sixteen.db')
  new Database({ path }).close() // the schema exists before the clock starts
  const children: BenchChild[] = []
  try {
    for (let i = 0; i < WRITERS; i++) children.push(startBenchChild('concurrent-writer.ts', [path, String(i), String(pointsEach), String(batch)]))
    await Promise.all(children.map((c) => c.line((l) => l === 'ready')))
    const go = performance.now()
    for (const c of children) c.proc.stdin.end('go\n')
    const dones = await Promise.all(children.map((c) => c.line((l) => l.startsWith('done '))))
    const codes = await Promise.all(children.map((c) => c.exited))
    const end = Math.max(...dones.map((d) => d?.at ?? performance.now()))
    const seconds = (end - go) / 1000
    let errors = 0
    children.forEach((c, i) => {
      const d = dones[i]
      if (!d || codes[i] !== 0) errors++
      else errors += Number(d.line.split(' ')[1])
      if (c.stderr()) console.error(`writer ${i}: ${c.stderr().trim()}`)
    })
    using db = new Database({ path })
    const stored = (db.query('SELECT count(*) AS n FROM points')[0] as { n: number }).n
    const total = WRITERS * pointsEach
    const rate = total / seconds
    if (batch === 1) {
      return [
        {
          key: 'concurrent16_percall_points_per_s',
          label: `16 processes x ${fmt(pointsEach)} pts, one addMetricValue call (one commit) per point`,
          value: rate,
          unit: 'pts/s',
          target: '>= 40,000, 0 errors',
          pass: rate >= 40_000 && errors === 0 && stored === total,
          baseline: `${fmt(seconds, 2)} s from go to last done; ${fmt(errors)} errors; ${fmt(total - stored)} points missing`,
          extra: { concurrent16_percall_seconds: seconds, concurrent16_percall_errors: errors, concurrent16_percall_lost_points: total - stored },
        },
      ]
    }
    return [
      {
        key: 'concurrent16_points_per_s',
        label: `16 processes x ${fmt(pointsEach)} pts, logBatch of ${batch} (5 series x ${batch / 5} steps)`,
        value: rate,
        unit: 'pts/s',
        target: '>= 100,000',
        pass: rate >= 100_000,
        baseline: `${fmt(seconds, 2)} s from go to last done; ${fmt(total - stored)} points missing`,
        extra: { concurrent16_batch_size: batch, concurrent16_seconds: seconds, concurrent16_lost_points: total - stored },
      },
      {
        key: 'concurrent16_errors',
        label: '16 processes: failed calls or failed processes',
        value: errors,
        unit: '',
        target: '0',
        pass: errors === 0 && stored === total,
        baseline: 'Optuna 238 pts/s together (DESIGN.md)',
      },
    ]
  } finally {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL')
  }
}
