import { createHash } from 'node:crypto'
import { type BigIntStats, closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { NotFoundError, ValidationError } from '../errors.js'
import { describe } from './validate.js'

/** The kinds of file a pointer may have. */
export const FILE_KINDS = ['model', 'checkpoint', 'image', 'plot', 'data', 'other'] as const
export type FileKind = (typeof FILE_KINDS)[number]

export function checkKind(kind: unknown): FileKind {
  if (kind === undefined) return 'other'
  if (typeof kind !== 'string' || !(FILE_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError(`file kind ${describe(kind)} is not one of ${FILE_KINDS.join(', ')}`, 'kind')
  }
  return kind as FileKind
}

/**
 * Modification time in whole ms, rounded half up from the nanoseconds; integer
 * arithmetic so the Python client (files.py) computes the very same number.
 */
export function mtimeMs(st: BigIntStats): number {
  return Number((st.mtimeNs + 500_000n) / 1_000_000n)
}

/** Size, mtime (ms) and absolute path of a file that must exist now. */
export function statFile(path: unknown): { path: string; size: number; mtime: number } {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new ValidationError(`file path must be a non-empty string, got ${describe(path)}`, 'path')
  }
  const abs = resolve(path)
  let st: BigIntStats
  try {
    st = statSync(abs, { bigint: true })
  } catch {
    throw new NotFoundError(`file ${abs} does not exist; write the file before recording it`, 'file', abs)
  }
  if (!st.isFile()) throw new ValidationError(`${abs} is not a regular file; record files, not folders`, 'path')
  // The real path, symlinks resolved: the dashboard serves a file only where
  // its recorded path is still its real path (a later symlink swap is refused).
  return { path: realpathSync(abs), size: Number(st.size), mtime: mtimeMs(st) }
}

/** sha256 of a file, read in 1 MiB chunks so model weights do not fill memory. */
export function sha256File(path: string): string {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(1 << 20)
  const fd = openSync(path, 'r')
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** What is wrong with a recorded file now, if anything. */
export function fileProblem(rec: { path: string; size: number; mtime: number; sha256: string | null }, verifyHash = false): 'missing' | 'changed' | undefined {
  let st: BigIntStats
  try {
    st = statSync(rec.path, { bigint: true })
  } catch {
    return 'missing'
  }
  if (!st.isFile()) return 'missing'
  if (Number(st.size) !== rec.size || mtimeMs(st) !== rec.mtime) return 'changed'
  if (verifyHash && rec.sha256 && sha256File(rec.path) !== rec.sha256) return 'changed'
  return undefined
}
