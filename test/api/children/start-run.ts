// A TypeScript process that starts a run with the default name at a given moment:
// argv: <db path> <project>; reads the moment (ms since 1970) from stdin.
import { createInterface } from 'node:readline'
import { Database } from '../../../src/index.js'

const [path, project] = process.argv.slice(2) as [string, string]
const db = new Database({ path })
console.log('ready')
const lines = createInterface({ input: process.stdin })
lines.once('line', (line) => {
  const at = Number(line)
  while (Date.now() < at) {
    // spin: a timer could wake too late for "the same second"
  }
  const run = db.startRun({ project, handleExit: false })
  console.log(`name ${run.name}`)
  run.finish()
  db.close()
  lines.close()
})
