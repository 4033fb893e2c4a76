// One of the sixteen benchmark writers: opens the file, says "ready", waits for
// "go" on stdin, logs its points in logBatch calls (or, with a batch of 1, one
// addMetricValue call per point), then prints "done <errors>".
import { Database } from '../../src/index.js'
import { makeBatches } from '../lib/data.js'

const [path, indexArg, pointsArg, batchArg] = process.argv.slice(2) as [string, string, string, string]
const points = Number(pointsArg)
const batch = Number(batchArg)
const db = new Database({ path })
const exp = `writer-${indexArg}`
db.setExpStatus(exp, 'TRAINING')
const batches = makeBatches(Math.ceil(points / batch), batch, 5)

process.stdin.once('data', () => {
  process.stdin.destroy()
  let errors = 0
  const attempt = (fn: () => void) => {
    try {
      fn()
    } catch (e) {
      errors++
      console.error(String(e))
    }
  }
  for (const b of batches) {
    if (batch === 1) for (const p of b) attempt(() => db.addMetricValue(exp, p.name, p.step, p.value))
    else attempt(() => db.logBatch(exp, b))
  }
  db.setExpStatus(exp, 'COMPLETE')
  db.close()
  console.log(`done ${errors}`)
})
console.log('ready')
