// Detects a `-wal` file deleted (or cut short) while a process had the
// database open. SQLite keeps writing into the deleted file through its open
// descriptor, and the next process to open the path finds the -shm index
// promising frames the new, empty -wal lacks: its first read fails with a bare
// "disk I/O error" (SQLITE_IOERR_SHORT_READ). Reading the index header first
// lets us say what happened instead. The layout is SQLite's WalIndexHdr
// (https://www.sqlite.org/walformat.html), in native byte order; both copies
// must agree, otherwise a writer is mid-update and nothing can be concluded.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { endianness } from 'node:os'
import { DatabaseIoError } from '../errors.js'

const WAL_HEADER = 32
const FRAME_HEADER = 24

interface IndexHeader {
  pageSize: number
  maxFrame: number
}

function readIndexHeader(shm: string): IndexHeader | undefined {
  let fd: number
  try {
    fd = openSync(shm, 'r')
  } catch {
    return undefined
  }
  const buf = Buffer.alloc(96)
  try {
    if (readSync(fd, buf, 0, 96, 0) < 96) return undefined
  } finally {
    closeSync(fd)
  }
  if (!buf.subarray(0, 48).equals(buf.subarray(48, 96))) return undefined
  const le = endianness() === 'LE'
  const isInit = buf[12]
  if (!isInit) return undefined
  const sz = le ? buf.readUInt16LE(14) : buf.readUInt16BE(14)
  const maxFrame = le ? buf.readUInt32LE(16) : buf.readUInt32BE(16)
  // szPage holds 65536 as 1 (it does not fit 16 bits)
  return { pageSize: sz === 1 ? 65536 : sz, maxFrame }
}

/** How many bytes of frames the -wal lacks that the -shm index says it has (0 when consistent or unknown). */
function missingWalBytes(path: string): number {
  const h = readIndexHeader(`${path}-shm`)
  if (!h || h.maxFrame === 0) return 0
  const need = WAL_HEADER + h.maxFrame * (h.pageSize + FRAME_HEADER)
  const wal = `${path}-wal`
  const have = existsSync(wal) ? statSync(wal).size : 0
  return Math.max(0, need - have)
}

/**
 * Throws DatabaseIoError when `path`'s -wal was deleted or cut short under a
 * process that still has it open. Checked twice, a moment apart, so a writer
 * resetting its WAL at the very moment of the first look is not mistaken for it.
 *
 * @example assertWalIntact('/data/mldb.db')
 */
export function assertWalIntact(path: string): void {
  if (path === ':memory:' || missingWalBytes(path) === 0) return
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
  if (missingWalBytes(path) === 0) return
  throw new DatabaseIoError(
    `${path}-wal was deleted or cut short while a process had ${path} open: ${path}-shm indexes writes that the -wal no longer holds. ` +
      `Let the processes using it (\`fuser ${path}\`) finish: the last one to close writes those values back. ` +
      `If they are gone, delete ${path}-shm to open what ${path} itself holds (values since its last checkpoint are lost)`,
    'SQLITE_IOERR_SHORT_READ',
  )
}
