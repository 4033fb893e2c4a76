// Logs 50 points, opens a second Database on the same file in this process (as
// the sync sender does), waits for "go" on stdin while another process writes and
// closes, then logs 50 more, printing each step once its call has returned, and
// waits to be killed without closing.
import { createInterface } from 'node:readline'
import { Database } from '../../../src/index.js'

const [path, exp] = process.argv.slice(2) as [string, string]
const db = new Database({ path })
for (let step = 0; step < 50; step++) db.addMetricValue(exp, 'x', step, step)
const second = new Database({ path })
second.listExperiments()
console.log('opened')
const lines = createInterface({ input: process.stdin })
lines.once('line', () => {
  for (let step = 50; step < 100; step++) {
    db.addMetricValue(exp, 'x', step, step)
    console.log(`step ${step}`)
  }
  console.log('done')
})
