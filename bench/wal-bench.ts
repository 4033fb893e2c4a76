// Eight real processes logging into one file for a minute (issue 8 item 8):
// how big the -wal is at the end, while they all still have it open, beside
// the database itself. `--wal-seconds N` runs a shorter (or longer) try.
import { Database } from '../src/index.js'
import { type BenchChild, startBenchChild } from './lib/child.js'
import { type Figure, fmt } from './lib/figure.js'
import { fileSize, tempDir } from './lib/temp.js'

const WRITERS = 8
/** The bound the WAL must stay under: journal_size_limit plus one checkpoint interval's worth of slack. */
const TARGET_BYTES = 64 * 1024 * 1024

function secondsArg(): number {
  const i = process.argv.indexOf('--wal-seconds')
  const n = i < 0 ? 60 : Number(process.argv[i + 1])
  if (!Number.isFinite(n) || n <= 0) throw new Error('--wal-seconds takes a number of seconds > 0')
  return n
}

/** Runs the writers for the given seconds and samples the WAL's size every 250 ms. */
export async function runWalBench(seconds = secondsArg()): Promise<Figure[]> {
  using dir = tempDir('wal')
  const path = dir.file('wal.db')
  new Database({ path }).close()
  const children: BenchChild[] = []
  try {
    for (let i = 0; i < WRITERS; i++) children.push(startBenchChild('wal-writer.ts', [path, String(i), String(seconds)]))
    await Promise.all(children.map((c) => c.line((l) => l === 'ready')))
    for (const c of children) c.proc.stdin.write('go\n')
    let maxWal = 0
    const sampler = setInterval(() => {
      maxWal = Math.max(maxWal, fileSize(`${path}-wal`))
    }, 250)
    const dones = await Promise.all(children.map((c) => c.line((l) => l.startsWith('done '))))
    clearInterval(sampler)
    const wal = fileSize(`${path}-wal`)
    const db = fileSize(path)
    maxWal = Math.max(maxWal, wal)
    for (const c of children) c.proc.stdin.end('close\n')
    await Promise.all(children.map((c) => c.exited))
    let points = 0
    let errors = 0
    children.forEach((c, i) => {
      const d = dones[i]
      if (!d) errors++
      else {
        const [, p, e] = d.line.split(' ')
        points += Number(p)
        errors += Number(e)
      }
      if (c.stderr()) console.error(`wal writer ${i}: ${c.stderr().trim()}`)
    })
    const key = seconds === 60 ? 'wal_bytes_after_60s' : `wal_bytes_after_${seconds}s`
    return [
      {
        key,
        label: `-wal size after ${fmt(seconds)} s of ${WRITERS} writer processes (logBatch of 100 + 10 single calls, in a loop)`,
        value: wal,
        unit: 'B',
        target: `<= ${fmt(TARGET_BYTES / 1024 / 1024)} MiB`,
        pass: maxWal <= TARGET_BYTES && errors === 0,
        baseline: `database ${fmt(db / 1024 / 1024, 1)} MiB; largest -wal seen ${fmt(maxWal / 1024 / 1024, 1)} MiB; ${fmt(points)} points, ${errors} errors`,
        extra: { [`${key}_db_bytes`]: db, [`${key}_max_wal_bytes`]: maxWal, [`${key}_points`]: points, [`${key}_errors`]: errors },
      },
    ]
  } finally {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL')
  }
}

// `npx tsx bench/wal-bench.ts --wal-seconds 10` runs it alone.
if (process.argv[1]?.endsWith('wal-bench.ts')) {
  const { renderTable } = await import('./lib/table.js')
  console.log(renderTable(await runWalBench()))
}
