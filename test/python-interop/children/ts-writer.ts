// The TypeScript counterpart of `interop.py writer`: waits for "go", then logs n
// single points into the shared series and n points in batches of 25 into its own experiment.
import { createInterface } from 'node:readline'
import { Database } from '../../../src/index.js'

const [path, indexArg, nArg] = process.argv.slice(2)
const i = Number(indexArg)
const n = Number(nArg)

await new Promise<void>((resolve) => {
  const rl = createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    if (line === 'go') {
      rl.close()
      process.stdin.destroy()
      resolve()
    }
  })
  console.log('ready')
})

const db = new Database({ path })
for (let j = 0; j < n; j++) {
  db.addMetricValue('shared', 'common', i * n + j, i + j / 1000)
  if (j % 25 === 24) {
    db.logBatch(
      `ts-${i}`,
      Array.from({ length: 25 }, (_, k) => ({ name: 'loss', split: 'train', step: j - 24 + k, value: (j - 24 + k) / 2 })),
    )
  }
}
db.setExpStatus(`ts-${i}`, 'COMPLETE')
db.close()
console.log('done')
