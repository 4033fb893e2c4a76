#!/usr/bin/env node
// The `mldb` binary: parse, run, and turn every error into one line and an exit status.
import { reportError } from './errors.js'
import { buildProgram } from './program.js'

// Our own output goes through writeStdout (write-all.ts); this catches what
// commander writes (--help). `mldb --help | head` closing the pipe is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0)
  process.stderr.write(`mldb: cannot write to standard output: ${e.message}\n`)
  process.exit(1)
})

try {
  await buildProgram().parseAsync(process.argv)
} catch (e) {
  process.exitCode = reportError(e)
}
