// `npm run bench`: the core figures of DESIGN.md §5, each beside a baseline
// measured in the same run; `--all` adds the API and UI benchmarks when present.
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { runConcurrentBench } from './concurrent-bench.js'
import type { Figure } from './lib/figure.js'
import { runOptional } from './lib/optional.js'
import { renderTable } from './lib/table.js'
import { runListingBench } from './listing-bench.js'
import { runWalBench } from './wal-bench.js'
import { runWriterBench } from './writer-bench.js'

const all = process.argv.includes('--all')
const started = performance.now()
const loadBefore = loadavg()[0] ?? 0
const figures: Figure[] = []
const step = async (name: string, fn: () => Figure[] | Promise<Figure[] | undefined>) => {
  process.stderr.write(`bench: ${name}...\n`)
  const t = performance.now()
  const out = await fn()
  if (out) figures.push(...out)
  process.stderr.write(`bench: ${name} took ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
}

await step('concurrent writers', runConcurrentBench)
await step('single-process writes, disk, downsample', runWriterBench)
await step('listing 10k experiments', runListingBench)
// 8 writers for 60 s (`--wal-seconds N` to try it shorter)
await step('WAL under 8 writers', () => runWalBench())
if (all || process.argv.includes('--sweeps')) await step('sweeps', () => runOptional('sweep-bench.ts', 'runSweepBench'))
// the team server: needs PostgreSQL for three of its four figures (apt-get install postgresql)
if (all || process.argv.includes('--server')) await step('team server', () => runOptional('server-bench.ts', 'runServerBench'))
// local-first sync to a team server: 16 machines, an outage of 10 s (`--sync`)
if (all || process.argv.includes('--sync')) await step('sync', () => runOptional('sync-bench.ts', 'runSyncBench'))
if (all) {
  await step('api', () => runOptional('api-bench.ts', 'runApiBench'))
  await step('ui', () => runOptional('ui-bench.ts', 'runUiBench'))
  await step('event streams', () => runOptional('streams-bench.ts', 'runStreamsBench'))
}

const seconds = (performance.now() - started) / 1000
console.log(renderTable(figures))
const failed = figures.filter((f) => f.pass === false).map((f) => f.key)
console.log(`${figures.length} figures in ${seconds.toFixed(1)} s; ${failed.length ? `missed: ${failed.join(', ')}` : 'all targets met'}`)

const results: Record<string, unknown> = {}
for (const f of figures) {
  results[f.key] = f.value
  Object.assign(results, f.extra)
}
results.pass = Object.fromEntries(figures.filter((f) => f.pass !== undefined).map((f) => [f.key, f.pass]))
results.meta = {
  date: new Date().toISOString(),
  node: process.version,
  sqlite: (new BetterSqlite3(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? '',
  load_average_before: loadBefore,
  load_average_after: loadavg()[0] ?? 0,
  total_seconds: seconds,
  all,
}
const out = join(dirname(fileURLToPath(import.meta.url)), 'results.json')
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
console.log(`wrote ${out}`)
