// `npm start`: the Iris example as a real sweep: a bayes (TPE) search with a
// Hyperband pruner over learning rate and hidden size, run by two `mldb sweep
// agent` processes at once, then the best trial, its model and the dashboard.
//   npx tsx examples/sweep.ts [--db PATH] [--no-ui] [--agents 2] [--trials 12] [--port 5757]
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Database, resolveDbPath } from '../src/index.js'

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    'no-ui': { type: 'boolean', default: false },
    agents: { type: 'string', default: '2' },
    trials: { type: 'string', default: '12' },
    port: { type: 'string', default: '5757' },
    epochs: { type: 'string', default: '150' },
    'delay-ms': { type: 'string', default: '10' },
  },
})

const trainScript = fileURLToPath(new URL('./train-iris.ts', import.meta.url))
const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const dbPath = resolveDbPath(args.db).path
const port = Number(args.port)

/** Fails now, not after a minute of training, when the dashboard's port is taken. */
function checkPortFree(p: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${p} is in use; pass --port N (or --no-ui)` : `cannot listen on port ${p}: ${e.message}`)),
    )
    probe.listen(p, '127.0.0.1', () => probe.close(() => resolve()))
  })
}

function agent(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'sweep', 'agent', name, '--db', dbPath], { stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

async function main(): Promise<void> {
  if (!args['no-ui']) await checkPortFree(port)
  console.log(`mldb: database ${dbPath}`)
  using db = new Database({ path: dbPath })
  const name = `iris-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`
  const sweep = db.createSweep({
    name,
    project: 'iris',
    method: 'bayes',
    metric: { name: 'valid/loss', goal: 'minimize' },
    parameters: {
      lr: { distribution: 'log_uniform_values', min: 0.005, max: 1 },
      hidden: { distribution: 'int_uniform', min: 2, max: 32 },
    },
    early_terminate: { type: 'hyperband', min_iter: 15, eta: 3 },
    run_cap: Number(args.trials),
    command: [
      process.execPath,
      '--import',
      'tsx',
      trainScript,
      '--epochs',
      args.epochs as string,
      '--delay-ms',
      args['delay-ms'] as string,
      '--quiet',
      `$${'{'}args}`,
    ],
  })
  const agents = Math.max(1, Number(args.agents) || 2)
  console.log(`mldb: sweep ${name}: TPE over lr and hidden, Hyperband pruning, ${args.trials} trials, ${agents} agents at once`)
  const started = Date.now()
  const codes = await Promise.all(Array.from({ length: agents }, () => agent(name)))
  const s = sweep.summary()
  console.log(
    `mldb: sweep finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.complete} complete, ${s.pruned} pruned, ${s.failed} failed${codes.some((c) => c !== 0) ? ' (an agent failed)' : ''}`,
  )
  const best = sweep.best()
  if (best) {
    console.log(`mldb: best trial ${best.number} (${best.exp}): valid/loss ${best.value.toFixed(4)} with lr=${best.params.lr} hidden=${best.params.hidden}`)
    const model = db.getFiles(best.exp, { kind: 'model' })[0]
    if (model) console.log(`mldb: its model: ${model.path}`)
  }

  if (args['no-ui']) return
  // Imported here so the sweep still runs where the server is not built.
  const { startUi } = await import('../src/server/start.js')
  const ui = await startUi({ dbPath, port })
  console.log(`mldb: dashboard at ${ui.url}  (Ctrl-C to stop)`)
}

main().catch((e) => {
  console.error(`mldb: ${(e as Error).message}`)
  process.exit(1)
})
