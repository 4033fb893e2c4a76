import { CommanderError } from 'commander'
import { MldbError } from '../errors.js'
import { sqliteError } from '../store/sqlite-errors.js'

/** A mistake in how the command was called (exit status 2), as opposed to a failed operation (1). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Exit statuses: 0 done, 1 the operation failed, 2 the command line was wrong. */
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

let databasePath: string | undefined

/** Remembers the database file this command opened, so SQLite's own failures can name it (see reportError). */
export function noteDatabasePath(path: string): void {
  databasePath = path
}

/** One line, never a stack for a user mistake; a stack for our own bugs only with MLDB_DEBUG=1. */
export function reportError(e: unknown, write: (line: string) => void = (l) => process.stderr.write(l)): number {
  if (e instanceof CommanderError) {
    // commander already printed its message (see configureOutput in program.ts)
    // commander.help is help shown in place of a missing or unknown command (`mldb`, `mldb model`, `mldb help nosuch`): a usage error
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0
    return e.exitCode === 0 ? 0 : EXIT_USAGE
  }
  if (e instanceof UsageError) {
    write(`mldb: ${e.message}\n`)
    return EXIT_USAGE
  }
  // SQLite's own failure from a store function the command called directly: named as the API names it.
  const mapped = databasePath === undefined ? e : sqliteError(e, databasePath)
  if (mapped instanceof MldbError) {
    write(`mldb: ${oneLine(mapped.message)}\n`)
    return EXIT_FAILED
  }
  const err = e instanceof Error ? e : new Error(String(e))
  const code = (err as { code?: string }).code
  // `mldb export | head -1`: the reader has all it wanted, so stopping is success.
  // (Async stdout writes are caught in main.ts; this is the synchronous writeSync.)
  if (code === 'EPIPE') return 0
  // Node's own file errors (a file we may not read, a folder in the way) name the path: say it as a user would
  const fsPath = (err as { path?: string }).path
  const fsProblem = code ? WRITE_PROBLEMS[code] : undefined
  if (fsPath && fsProblem && process.env.MLDB_DEBUG !== '1') {
    const syscall = (err as { syscall?: string }).syscall
    write(
      `mldb: cannot ${syscall === 'mkdir' ? 'create the folder' : syscall === 'open' ? 'open' : syscall === 'read' ? 'read' : 'use'} ${fsPath}: ${fsProblem}\n`,
    )
    return EXIT_FAILED
  }
  if (process.env.MLDB_DEBUG === '1') write(`${err.stack ?? err.message}\n`)
  else if (code?.startsWith('SQLITE_')) write(`mldb: SQLite: ${oneLine(err.message)} (${code})\n`)
  else write(`mldb: unexpected error: ${oneLine(err.message)} (run with MLDB_DEBUG=1 for details)\n`)
  return EXIT_FAILED
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder; give a file name',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
}

/**
 * A failed write to a file the user named (`--out x.jsonl`) as one line naming
 * that file, instead of Node's message about our temporary file; other errors
 * come back unchanged.
 */
export function fileWriteError(path: string, e: unknown): unknown {
  const code = (e as { code?: string }).code
  const problem = code ? WRITE_PROBLEMS[code] : undefined
  return problem ? new MldbError(`cannot write ${path}: ${problem}`) : e
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim()
}
