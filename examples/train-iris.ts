// The main job: train a small MLP on Iris and log everything into mldb.
//   npx tsx examples/train-iris.ts [--lr 0.1] [--hidden 16] [--epochs 150] [--seed 1] [--project iris] [--db PATH]
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { Database, expName, MldbError } from '../src/index.js'
import { loadIris, rng } from './iris/data.js'
import { Mlp } from './iris/mlp.js'
import { lossPlotSvg } from './iris/plot.js'

const { values: args } = parseArgs({
  options: {
    lr: { type: 'string', default: '0.1' },
    hidden: { type: 'string', default: '16' },
    epochs: { type: 'string', default: '150' },
    batch: { type: 'string', default: '16' },
    seed: { type: 'string', default: '1' },
    project: { type: 'string', default: 'iris' },
    name: { type: 'string' },
    db: { type: 'string' },
    'delay-ms': { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
  },
})

function num(name: string, text: string | undefined, integer = false): number {
  const v = Number(text)
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    console.error(`train-iris: --${name} must be a positive ${integer ? 'integer' : 'number'}, got ${text}`)
    process.exit(2)
  }
  return v
}

const lr = num('lr', args.lr)
const hidden = num('hidden', args.hidden, true)
const epochs = num('epochs', args.epochs, true)
const batch = num('batch', args.batch, true)
const seed = num('seed', args.seed, true)
const delayMs = Number(args['delay-ms']) || 0

async function main(): Promise<void> {
  using db = new Database(args.db ? { path: args.db } : {})
  // Under `mldb sweep agent`, MLDB_EXP names this trial's experiment and startRun() without a name joins it.
  const trial = args.name ? undefined : process.env.MLDB_EXP
  const name = args.name ?? trial ?? expName(`iris-mlp-h${hidden}-lr${lr}`)
  const outDir = join(dirname(db.path), 'artifacts', name)
  mkdirSync(outDir, { recursive: true })
  const params = { lr, hidden, epochs, batch, seed, optimizer: 'sgd', activation: 'tanh', dataset: 'iris' }
  const run = db.startRun({ ...(trial ? {} : { name }), project: args.project as string, params, tags: { model: 'mlp' } })
  if (!args.quiet) console.log(`mldb: logging ${name} into ${db.path}`)

  const data = loadIris(seed)
  const model = new Mlp(4, hidden, 3, seed)
  const rand = rng(seed + 1)
  const trainLoss: number[] = []
  const validLoss: number[] = []
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.trainEpoch(data.trainX, data.trainY, lr, batch, rand)
    const tr = model.evaluate(data.trainX, data.trainY)
    const va = model.evaluate(data.validX, data.validY)
    trainLoss.push(tr.loss)
    validLoss.push(va.loss)
    run.log({ loss: tr.loss, acc: tr.acc }, { step: epoch, split: 'train' })
    run.log({ loss: va.loss, acc: va.acc }, { step: epoch, split: 'valid' })
    if (epoch % 10 === 0 || epoch === epochs - 1) {
      const ckpt = join(outDir, `checkpoint-${String(epoch).padStart(4, '0')}.json`)
      writeFileSync(ckpt, JSON.stringify({ epoch, model }))
      run.addFile(ckpt, { kind: 'checkpoint', step: epoch })
    }
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
  }
  const modelPath = join(outDir, 'model.json')
  writeFileSync(modelPath, JSON.stringify(model))
  run.addFile(modelPath, { kind: 'model', step: epochs - 1, hash: true })
  const plotPath = join(outDir, 'loss.svg')
  writeFileSync(plotPath, lossPlotSvg(trainLoss, validLoss, name))
  run.addFile(plotPath, { kind: 'plot', step: epochs - 1 })
  run.finish()

  if (!args.quiet) {
    const s = db.getExperiment(name)
    const v = (k: string) => s.series[k]
    console.log(`mldb: ${name} ${s.status} after ${epochs} epochs`)
    console.log(`  params      ${JSON.stringify(params)}`)
    console.log(
      `  train loss  ${v('train/loss')?.last.toFixed(4)}   valid loss ${v('valid/loss')?.last.toFixed(4)} (min ${v('valid/loss')?.min.toFixed(4)})   valid acc ${v('valid/acc')?.last.toFixed(3)}`,
    )
    const points = Object.values(s.series).reduce((n, x) => n + x.count, 0)
    console.log(`  logged      ${points} points in ${Object.keys(s.series).length} series, ${s.files.length} files (${outDir})`)
  }
}

main().catch((e) => {
  if (e instanceof MldbError) {
    console.error(`train-iris: ${e.message}`)
    process.exit(1)
  }
  throw e
})
