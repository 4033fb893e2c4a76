// An unchanged-style training script for the agent tests: reads --key=value
// arguments, starts a run without a name (so MLDB_EXP's trial is joined),
// logs valid/loss per epoch and finishes. `--fail=1` exits 3 after one epoch.
import { Database } from '../../../src/index.js'

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => /^--([^=]+)=(.*)$/.exec(a))
    .filter((m) => m !== null)
    .map((m) => [m[1], m[2]]),
) as Record<string, string>
const x = Number(args.x)
using db = new Database()
const run = db.startRun({ params: { x, opt: { lr: Number(args['opt.lr']) } } })
for (let epoch = 0; epoch < 3; epoch++) {
  run.log({ loss: (x - 0.3) ** 2 + 1 / (epoch + 1) }, { step: epoch, split: 'valid' })
  if (args.fail === '1') process.exit(3)
}
console.log(`trained ${run.name} x=${x} env=${process.env.MLDB_SWEEP}`)
run.finish()
