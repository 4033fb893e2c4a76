// `npm run bench -- --sweeps`: TPE's median best over 30 seeds after 100 trials on
// Branin, Hartmann-6 and Rosenbrock-5D (beside random search and, where `optuna`
// imports, Optuna's TPE in the same run); one ask with 1,000 finished trials;
// 16 processes claiming trials of one sweep up to a cap of 2,000.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Database } from '../src/index.js'
import { branin, hartmann6, rosenbrock } from '../src/sweep/test-functions.js'
import { startBenchChild } from './lib/child.js'
import { type Figure, fmt } from './lib/figure.js'
import { tempDir } from './lib/temp.js'

const SEEDS = 30
const TRIALS = 100
const WORKERS = 16
const CAP = 2000

type Fn = { key: string; label: string; optimum: number; target: number; space: Record<string, unknown>; f: (p: Record<string, number>) => number }
const dims = (n: number, min: number, max: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, { min, max }]))
const vec = (p: Record<string, number>, n: number) => Array.from({ length: n }, (_, i) => p[`x${i}`] as number)
const FNS: Fn[] = [
  {
    key: 'branin',
    label: 'Branin',
    optimum: 0.3979,
    target: 0.418,
    space: { x: { min: -5, max: 10 }, y: { min: 0, max: 15 } },
    f: (p) => branin(p.x as number, p.y as number),
  },
  { key: 'hartmann6', label: 'Hartmann-6', optimum: -3.3224, target: -3.19, space: dims(6, 0, 1), f: (p) => hartmann6(vec(p, 6)) },
  { key: 'rosenbrock5', label: 'Rosenbrock-5D', optimum: 0, target: 72, space: dims(5, -5, 10), f: (p) => rosenbrock(vec(p, 5)) },
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** The median over seeds of the best value after TRIALS trials, through real sweeps in a database file. */
function medianBest(db: Database, fn: Fn, method: 'bayes' | 'random'): number {
  const bests: number[] = []
  for (let seed = 0; seed < SEEDS; seed++) {
    const s = db.createSweep({ name: `${fn.key}-${method}-${seed}`, method, metric: { name: 'objective' }, parameters: fn.space, run_cap: TRIALS, seed })
    s.optimize((t) => fn.f(t.params as Record<string, number>))
    bests.push(s.best()?.value as number)
  }
  return median(bests)
}

function optunaBaseline(): Record<string, number | string> | undefined {
  const venv = process.env.OPTUNA_PYTHON ?? '/work/.bench-venv/bin/python'
  const python = existsSync(venv) ? venv : 'python3'
  if (spawnSync(python, ['-c', 'import optuna'], { encoding: 'utf8' }).status !== 0) return undefined
  const r = spawnSync(python, [join(import.meta.dirname, 'optuna-baseline.py'), String(SEEDS), String(TRIALS)], { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (r.status !== 0) {
    process.stderr.write(`bench: optuna baseline failed: ${r.stderr.slice(-500)}\n`)
    return undefined
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, number | string>
}

function askMs(db: Database): { ms: number; n: number } {
  const fn = FNS[1] as Fn
  const s = db.createSweep({ name: 'ask-1000', method: 'bayes', metric: { name: 'objective' }, parameters: fn.space, seed: 1 })
  // 1,000 finished trials, then time the asks that follow
  for (let i = 0; i < 1000; i++) {
    const t = s.ask()
    t?.finish(fn.f(t.params as Record<string, number>))
  }
  const times: number[] = []
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now()
    const t = s.ask()
    times.push(performance.now() - t0)
    t?.finish(fn.f(t.params as Record<string, number>))
  }
  return { ms: median(times), n: 1000 }
}

async function sixteenWorkers(path: string): Promise<{ trials: number; duplicates: number; gridTwice: number; errors: number; seconds: number }> {
  {
    using db = new Database({ path })
    const values = Array.from({ length: 50 }, (_, i) => i)
    db.createSweep({ name: 'w16', method: 'grid', metric: { name: 'v' }, parameters: { a: { values }, b: { values } }, run_cap: CAP })
  }
  const kids = Array.from({ length: WORKERS }, () => startBenchChild('sweep-worker.ts', [path, 'w16']))
  await Promise.all(kids.map((k) => k.line((l) => l === 'ready')))
  const t0 = performance.now()
  for (const k of kids) k.proc.stdin.end('go\n')
  const results = await Promise.all(kids.map((k) => k.line((l) => l.startsWith('result '))))
  const seconds = (performance.now() - t0) / 1000
  await Promise.all(kids.map((k) => k.exited))
  const numbers: number[] = []
  let errors = 0
  for (const r of results) {
    if (!r) {
      errors++
      continue
    }
    const got = JSON.parse(r.line.slice(7)) as { numbers: number[]; errors: number }
    numbers.push(...got.numbers)
    errors += got.errors
  }
  using db = new Database({ path })
  const row = db.query<{ n: number; g: number }>('SELECT count(*) AS n, count(DISTINCT grid_index) AS g FROM trials')[0] as { n: number; g: number }
  return { trials: row.n, duplicates: numbers.length - new Set(numbers).size, gridTwice: row.n - row.g, errors, seconds }
}

/** The sweep figures. */
export async function runSweepBench(): Promise<Figure[]> {
  using tmp = tempDir('sweep')
  {
    const figures: Figure[] = []
    const optuna = optunaBaseline()
    using db = new Database({ path: tmp.file('sweeps.db') })
    for (const fn of FNS) {
      const tpe = medianBest(db, fn, 'bayes')
      const rnd = medianBest(db, fn, 'random')
      const opt = optuna?.[fn.key]
      const baseline = `random ${fmt(rnd, 3)}${typeof opt === 'number' ? `, Optuna ${optuna?.version} TPE ${fmt(opt, 3)} (same run)` : ', Optuna not installed here'}`
      figures.push({
        key: `sweep_tpe_${fn.key}`,
        label: `TPE median best of ${SEEDS} seeds after ${TRIALS} trials, ${fn.label} (optimum ${fn.optimum})`,
        value: tpe,
        unit: '',
        digits: 3,
        target: `<= ${fn.target}`,
        pass: tpe <= fn.target,
        baseline,
        extra: { [`sweep_random_${fn.key}`]: rnd, ...(typeof opt === 'number' ? { [`sweep_optuna_${fn.key}`]: opt } : {}) },
      })
    }
    const ask = askMs(db)
    figures.push({
      key: 'sweep_ask_ms',
      label: `one TPE ask with ${fmt(ask.n)} finished trials (Hartmann-6 space), median of 21`,
      value: ask.ms,
      unit: 'ms',
      target: '<= 20',
      pass: ask.ms <= 20,
      baseline: '',
    })
    const w = await sixteenWorkers(tmp.file('workers.db'))
    const okay = w.trials === CAP && w.duplicates === 0 && w.gridTwice === 0 && w.errors === 0
    figures.push({
      key: 'sweep_16_workers',
      label: `${WORKERS} processes ask/finish on one file up to a cap of ${fmt(CAP)} (grid 50x50): trials claimed`,
      value: w.trials,
      unit: 'trials',
      target: `= ${fmt(CAP)}, 0 duplicates, 0 errors`,
      pass: okay,
      baseline: `${w.duplicates} duplicate numbers, ${w.gridTwice} grid points twice, ${w.errors} errors, ${fmt(w.trials / w.seconds)} trials/s`,
      extra: { sweep_16_workers_duplicates: w.duplicates, sweep_16_workers_errors: w.errors, sweep_16_workers_trials_per_s: w.trials / w.seconds },
    })
    return figures
  }
}
