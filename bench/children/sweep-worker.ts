// One of the 16 processes of sweep_16_workers: `sweep-worker.ts DB SWEEP`.
// Waits for "go", then ask/finish until the sweep ends; prints its trial numbers and errors.
import { createInterface } from 'node:readline'
import { Database } from '../../src/index.js'

const [path, name] = process.argv.slice(2) as [string, string]
const db = new Database({ path })
const sweep = db.getSweep(name)
console.log('ready')
createInterface({ input: process.stdin }).once('line', () => {
  const numbers: number[] = []
  let errors = 0
  for (;;) {
    try {
      const t = sweep.ask()
      if (!t) break
      t.finish(t.number)
      numbers.push(t.number)
    } catch (e) {
      errors++
      console.error(String(e))
      if (errors > 100) break
    }
  }
  console.log(`result ${JSON.stringify({ numbers, errors })}`)
  db.close()
  process.exit(0)
})
