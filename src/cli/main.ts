#!/usr/bin/env node
// The `mldb` binary: parse, run, and turn every error into one line and an exit status.
import { reportError } from './errors.js'
import { buildProgram } from './program.js'

// `mldb ls | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0)
  throw e
})

try {
  await buildProgram().parseAsync(process.argv)
} catch (e) {
  process.exitCode = reportError(e)
}
