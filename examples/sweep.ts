// `npm start`: a small hyperparameter sweep of the Iris example (8 configurations,
// two processes at a time) into the default database, then the dashboard.
//   npx tsx examples/sweep.ts [--db PATH] [--no-ui] [--parallel 2] [--port 5757]
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Database, resolveDbPath } from '../src/index.js'

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    'no-ui': { type: 'boolean', default: false },
    parallel: { type: 'string', default: '2' },
    port: { type: 'string', default: '5757' },
    epochs: { type: 'string', default: '150' },
    'delay-ms': { type: 'string', default: '10' },
  },
})

const trainScript = fileURLToPath(new URL('./train-iris.ts', import.meta.url))
const configs = [0.01, 0.05, 0.2, 0.8].flatMap((lr) => [4, 16].map((hidden) => ({ lr, hidden })))
const dbPath = resolveDbPath(args.db).path

function train(cfg: { lr: number; hidden: number }, seed: number): Promise<number> {
  const argv = ['--import', 'tsx', trainScript, '--lr', String(cfg.lr), '--hidden', String(cfg.hidden), '--seed', String(seed)]
  argv.push('--epochs', args.epochs as string, '--delay-ms', args['delay-ms'] as string, '--db', dbPath, '--quiet')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

async function main(): Promise<void> {
  console.log(`mldb: database ${dbPath}`)
  console.log(`mldb: sweeping ${configs.length} configurations of the Iris MLP, ${args.parallel} at a time`)
  const started = Date.now()
  const queue = configs.map((c, i) => ({ ...c, seed: i + 1 }))
  let failures = 0
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      if ((await train(job, job.seed)) !== 0) failures++
      console.log(`  done lr=${job.lr} hidden=${job.hidden}`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Number(args.parallel) || 2) }, worker))
  console.log(`mldb: sweep finished in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures} failed`)

  using db = new Database({ path: dbPath })
  const best = db.bestExperiment('valid/loss', 'min', { project: 'iris' })
  const total = db.countExperiments({ project: 'iris' })
  console.log(
    `mldb: ${total} experiments in project iris; best valid/loss ${best?.best.toFixed(4)} by ${best?.name} (lr=${best?.params.lr}, hidden=${best?.params.hidden})`,
  )
  const model = best ? db.getFiles(best.name, { kind: 'model' })[0] : undefined
  if (model) console.log(`mldb: its model: ${model.path}`)

  if (args['no-ui']) return
  // Imported here so the sweep still runs where the server is not built.
  const { startUi } = await import('../src/server/start.js')
  const ui = await startUi({ dbPath, port: Number(args.port) })
  console.log(`mldb: dashboard at ${ui.url}  (Ctrl-C to stop)`)
}

main().catch((e) => {
  console.error(`mldb: ${(e as Error).message}`)
  process.exit(1)
})
