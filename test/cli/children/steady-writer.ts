// Logs without pause until killed: per-call values and batches over several
// series, so that `mldb doctor` always runs beside commits. Prints "ready"
// once every series has blocks (over 64 points) and a summary to check.
import { Database } from '../../../src/index.js'

const [path] = process.argv.slice(2)
const db = new Database({ path })
let step = 0
let said = false
for (;;) {
  db.addMetricValue('steady', 'per_call', step, Math.sin(step))
  if (step % 10 === 0) {
    const points = []
    for (let k = 0; k < 10; k++) points.push({ name: 'loss', split: 'train', step: step + k, value: 1 / (step + k + 1) })
    points.push({ name: 'acc', split: 'valid', step, value: step % 7 === 0 ? Number.NaN : step / 1e6 })
    db.logBatch('steady', points)
  }
  step++
  if (!said && step > 200) {
    said = true
    console.log('ready')
  }
}
