import { closeSync, constants, fstatSync, openSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import { HTTPException } from 'hono/http-exception'

/** Where Linux shows what an open descriptor really is (a path checked beforehand can be swapped). */
const PROC_FD = '/proc/self/fd'

/** An opened recorded file, verified to be the very file recorded, and its size. */
export interface OpenedFile {
  fd: number
  size: number
}

const gone = (path: string) => new HTTPException(404, { message: `the recorded file ${path} is missing on disk` })
const elsewhere = (path: string) =>
  new HTTPException(403, { message: `the recorded file ${path} now resolves elsewhere through a symbolic link; it is not served` })

/** The path the kernel gives for an open descriptor, or undefined where there is no /proc. */
function descriptorPath(fd: number): string | undefined {
  try {
    return readlinkSync(`${PROC_FD}/${fd}`)
  } catch {
    return undefined
  }
}

/**
 * Opens `path` (a recorded real path) and checks the OPENED descriptor, not the
 * path: any check made on the path before the open can be undone by swapping a
 * parent folder for a symbolic link in between. O_NOFOLLOW refuses a symlink as
 * the last component, O_NONBLOCK keeps a FIFO swapped in from blocking the
 * server. On Linux the descriptor's /proc link must name the recorded path;
 * elsewhere its device and inode must match the path's, and the path must
 * still resolve to itself. A file vanishing at any point is a 404, never a 500.
 *
 * @example
 * const { fd, size } = openRecorded('/runs/exp/plot.png')
 */
export function openRecorded(path: string): OpenedFile {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw gone(path)
    if (code === 'ELOOP' || code === 'EMLINK') throw new HTTPException(403, { message: `the recorded file ${path} is now a symbolic link; it is not served` })
    throw new HTTPException(403, { message: `the recorded file ${path} could not be opened (${code ?? 'error'})` })
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new HTTPException(404, { message: `the recorded file ${path} is no longer a regular file` })
    const real = descriptorPath(fd)
    if (real !== undefined) {
      // Linux appends " (deleted)" once the opened file is unlinked.
      if (real === `${path} (deleted)`) throw gone(path)
      if (real !== path) throw elsewhere(path)
    } else {
      // Without /proc: the path must resolve to itself and to the same inode
      // as the descriptor; a swap after the open changes one or the other.
      let now: ReturnType<typeof statSync>
      try {
        if (realpathSync(path) !== path) throw elsewhere(path)
        now = statSync(path)
      } catch (e) {
        if (e instanceof HTTPException) throw e
        throw gone(path)
      }
      if (now.dev !== st.dev || now.ino !== st.ino) throw elsewhere(path)
    }
    return { fd, size: st.size }
  } catch (e) {
    closeSync(fd)
    throw e
  }
}
