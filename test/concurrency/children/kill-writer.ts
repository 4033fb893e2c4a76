// Logs forever into one experiment, printing each step only after the call that
// wrote it has returned; the test SIGKILLs it and checks every printed step.
import { Database } from '../../../src/index.js'

const [path, exp] = process.argv.slice(2) as [string, string]
const db = new Database({ path })
for (let step = 0; ; step++) {
  db.addMetricValue(exp, 'per_call', step, step * 0.5)
  console.log(`per_call ${step}`)
  if (step % 10 === 9) {
    // A batch of 50 is one transaction: after a kill it is all there or not at all.
    const first = (step - 9) * 5
    const points = Array.from({ length: 50 }, (_, k) => ({ name: 'batch', step: first + k, value: first + k }))
    db.logBatch(exp, points)
    console.log(`batch ${first + 49}`)
  }
}
