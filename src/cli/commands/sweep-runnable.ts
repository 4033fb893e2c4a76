import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { ValidationError } from '../../errors.js'
import type { SweepConfig } from '../../sweep/config.js'

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Whether `cmd` names a program spawn() can start: a path to an executable file, or a name found on PATH. */
function findable(cmd: string): boolean {
  if (cmd.includes('/') || cmd.includes('\\')) return isExecutableFile(resolve(cmd))
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutableFile(join(dir, cmd)))
}

/**
 * Refuses a trial command that cannot start, before the agent claims a trial:
 * a sweep's `program` missing from this folder, or a command not on PATH. A
 * claimed trial whose program never ran would stay in the sweep as a failure
 * (and use up a grid point) for what is a typo or the wrong folder.
 */
export function checkRunnable(sweep: string, config: SweepConfig, given: string[], argv: string[]): void {
  const program = config.program
  if (given.length === 0 && program !== undefined && argv.includes(program) && !existsSync(program))
    throw new ValidationError(
      `the program ${program} of sweep "${sweep}" does not exist${isAbsolute(program) ? '' : ` in ${process.cwd()}`}; run the agent from the folder that holds it, or give the command after --`,
      'program',
    )
  const cmd = argv[0] as string
  if (!findable(cmd))
    throw new ValidationError(
      `cannot run ${cmd}: ${cmd.includes('/') ? 'no executable file there' : 'not found on PATH'}; check the program or the command after --`,
      'command',
    )
}
