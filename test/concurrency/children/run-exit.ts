// A training script that ends in one of several ways, to see the status its Run gets.
//   wait:   logs, prints "ready", keeps logging until a signal arrives
//   throw:  logs, then throws an uncaught exception
//   reject: logs, then leaves a promise rejection unhandled
//   return: logs, then simply ends without run.finish()
import { Database } from '../../../src/index.js'

const [path, name, mode] = process.argv.slice(2) as [string, string, string]
const db = new Database({ path })
const run = db.startRun({ name, project: 'exits', params: { mode } })
for (let step = 0; step < 5; step++) run.log({ loss: 1 / (step + 1) }, { step, split: 'train' })

if (mode === 'wait') {
  let step = 5
  setInterval(() => run.log({ loss: 1 / ++step }, { split: 'train' }), 20)
  console.log('ready')
} else if (mode === 'throw') {
  setTimeout(() => {
    throw new Error('boom from the training loop')
  }, 10)
} else if (mode === 'reject') {
  void Promise.reject(new Error('boom from a promise'))
} else if (mode !== 'return') {
  throw new Error(`unknown mode ${mode}`)
}
