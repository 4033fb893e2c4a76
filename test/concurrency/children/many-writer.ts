// One of sixteen writers: waits for "go" on stdin, then opens the (new) file and
// logs through every write path at once. Counts come from argv so the test knows
// exactly what must be in the file afterwards.
import { createInterface } from 'node:readline'
import { Database } from '../../../src/index.js'

const [path, indexArg, perCallArg, batchesArg, runStepsArg, collideArg] = process.argv.slice(2)
const i = Number(indexArg)
const perCall = Number(perCallArg)
const batches = Number(batchesArg)
const runSteps = Number(runStepsArg)
const collide = Number(collideArg)

/** The value writer i logs at a step of its own series; the test recomputes it. */
const valueAt = (step: number) => i + step / 1000

await new Promise<void>((resolve) => {
  const rl = createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    if (line === 'go') {
      rl.close()
      // An open stdin would keep this process alive after its work is done.
      process.stdin.destroy()
      resolve()
    }
  })
  console.log('ready')
})

const db = new Database({ path })
const own = `writer-${i}`
for (let step = 0; step < perCall; step++) {
  db.addMetricValue(own, 'per_call', step, valueAt(step))
  // Every writer logs the same steps of one shared series: the same-step path under contention.
  if (step < collide) db.addMetricValue('shared', 'collide', step, i)
}
for (let b = 0; b < batches; b++) {
  const points = []
  for (let k = 0; k < 100; k++) {
    const step = b * 100 + k
    points.push({ name: 'loss', split: 'train', step, value: valueAt(step) }, { name: 'loss', split: 'valid', step, value: 100 - valueAt(step) })
  }
  db.logBatch(own, points)
}
const run = db.startRun({ name: `run-${i}`, project: 'many', params: { writer: i } })
for (let step = 0; step < runSteps; step++) run.log({ loss: valueAt(step), acc: step }, { step, split: 'train' })
run.finish()
db.close()
console.log('done')
