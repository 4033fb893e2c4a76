import { writeSync } from 'node:fs'
import { MldbError } from '../errors.js'

const SLEEPER = new Int32Array(new SharedArrayBuffer(4))
/** Longest pause between two tries at a full pipe, in ms. */
const MAX_WAIT = 50

/**
 * Writes every byte of `data` to a file descriptor, however slowly its reader
 * reads. Node makes stdout's pipe non-blocking, so a bare `writeSync` may write
 * part of the data or fail with EAGAIN once the pipe's 64 KiB are full; this
 * loops over partial writes and waits for the reader instead. EPIPE (the reader
 * went away, `| head`) is thrown as is for the caller to stop quietly.
 *
 * @example writeAll(1, 'a line\n')
 */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  let offset = 0
  let wait = 1
  while (offset < bytes.length) {
    let written = 0
    try {
      written = writeSync(fd, bytes, offset, bytes.length - offset)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e
    }
    if (written > 0) {
      offset += written
      wait = 1
    } else {
      Atomics.wait(SLEEPER, 0, 0, wait)
      wait = Math.min(wait * 2, MAX_WAIT)
    }
  }
}

const PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EBADF: 'it is closed',
  EIO: 'an I/O error',
  EFBIG: 'the file is too large',
}

/**
 * Writes to standard output with {@link writeAll}; a failure other than EPIPE
 * becomes one `MldbError` line (exit 1) instead of a stack trace, so output is
 * either complete or the command fails loudly.
 *
 * @example writeStdout(JSON.stringify(rows))
 */
export function writeStdout(data: string | Uint8Array): void {
  try {
    writeAll(1, data)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EPIPE' || code === undefined) throw e
    throw new MldbError(`cannot write to standard output: ${PROBLEMS[code] ?? (e as Error).message}`)
  }
}
