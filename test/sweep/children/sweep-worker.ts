// A sweep worker for the claim tests: `sweep-worker.ts DB SWEEP [hold]`.
// Waits for "go" on stdin, then asks and finishes trials until the sweep ends,
// printing each trial number; with `hold`, claims one trial and waits to be killed.
import { createInterface } from 'node:readline'
import { Database } from '../../../src/index.js'

const [path, name, mode] = process.argv.slice(2) as [string, string, string | undefined]
const db = new Database({ path })
const sweep = db.getSweep(name)
console.log('ready')
const rl = createInterface({ input: process.stdin })
rl.once('line', () => {
  if (mode === 'hold') {
    const t = sweep.ask()
    console.log(`claimed ${t?.number} ${t?.exp}`)
    setInterval(() => {}, 1000)
    return
  }
  const numbers: number[] = []
  for (let t = sweep.ask(); t; t = sweep.ask()) {
    t.report(0, t.number)
    t.finish(t.number)
    numbers.push(t.number)
  }
  console.log(`numbers ${JSON.stringify(numbers)}`)
  console.log('done')
  rl.close()
  db.close()
})
