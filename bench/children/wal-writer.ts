// One of the eight WAL-growth writers: opens the file, says "ready", waits for
// "go" on stdin, then logs as a training loop does (a batch of 100 values, then
// ten single calls) for the given seconds, prints "done <points> <errors>" and
// keeps the file open until "close", so the parent measures the WAL while
// every writer still has it open (the last close checkpoints and deletes it).
import { createInterface } from 'node:readline'
import { Database } from '../../src/index.js'

const [path, indexArg, secondsArg] = process.argv.slice(2) as [string, string, string]
const db = new Database({ path })
const exp = `wal-writer-${indexArg}`
db.setExpStatus(exp, 'TRAINING')

function work(): void {
  const end = Date.now() + Number(secondsArg) * 1000
  let points = 0
  let errors = 0
  let step = 0
  while (Date.now() < end) {
    try {
      const batch = []
      for (let k = 0; k < 50; k++) batch.push({ name: 'loss', split: 'train', step: step + k, value: 1 / (step + k + 1) })
      for (let k = 0; k < 50; k++) batch.push({ name: 'acc', split: 'train', step: step + k, value: (step + k) / 1e6 })
      db.logBatch(exp, batch)
      points += 100
      for (let k = 0; k < 10; k++) {
        db.addMetricValue(exp, 'lr', step + k, 0.001)
        points++
      }
    } catch (e) {
      errors++
      console.error(String(e))
    }
    step += 50
  }
  console.log(`done ${points} ${errors}`)
}

const rl = createInterface({ input: process.stdin })
rl.on('line', (line) => {
  if (line === 'go') work()
  if (line === 'close') {
    rl.close()
    process.stdin.destroy()
    db.setExpStatus(exp, 'COMPLETE')
    db.close()
  }
})
console.log('ready')
