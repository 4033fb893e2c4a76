import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { MldbError, ValidationError } from '../errors.js'
import type { FileRecord, Json } from '../store/types.js'
import type { AddFileOptions, Database } from './database.js'
import { checkExpName, checkSeriesName, checkStep, describe, describeError } from './validate.js'

/** Raw pixels for `logImage`: 8-bit, row-major, `channels` values per pixel (1 grey, 3 RGB, 4 RGBA). */
export interface RawImage {
  width: number
  height: number
  data: Uint8Array | readonly number[]
  channels?: 1 | 3 | 4
}

/** What `logImage` takes: PNG or JPEG bytes, the path of a PNG or JPEG file, or raw pixels. */
export type ImageInput = string | Uint8Array | RawImage

/** A table for `logTable`: rows as objects, or column names plus rows as arrays. */
export type TableInput = readonly Record<string, Json>[] | { columns: readonly string[]; rows: readonly (readonly Json[])[] }

/** A histogram for `logHistogram`: raw values (binned here), or bucket edges and counts. */
export type HistogramInput = readonly number[] | { edges: readonly number[]; counts: readonly number[] }

/** Longest path segment mldb writes, in bytes: under the 255-byte file-name limit of common file systems. */
const SEGMENT_MAX = 200
/** Hex digits of the name's sha256 that end a shortened segment. */
const HASH_HEX = 16

/** One character as a path segment writes it: letters, digits, `_`, `-` kept, `.` kept unless first, other UTF-8 bytes `%XX`. */
function encodeChar(ch: string, first: boolean): string {
  if (/^[A-Za-z0-9_-]$/.test(ch) || (ch === '.' && !first)) return ch
  let out = ''
  for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

/**
 * One path segment, the same in every client (docs/schema.md, "Media files"):
 * letters, digits, `_` and `-` kept, `.` kept except in front (so no `..`), every
 * other UTF-8 byte as `%XX`. An encoded name over 200 bytes (a 300-character
 * experiment name, a non-ASCII one tripled by `%XX`) would pass the file system's
 * 255-byte limit: it becomes the whole characters that fit in 183 bytes, `~` and
 * 16 hex digits of the name's sha256. `~` is never kept as is, so a shortened
 * segment never equals a short name's.
 */
function segment(text: string): string {
  const chars = [...text].map((ch, i) => encodeChar(ch, i === 0))
  const whole = chars.join('')
  if (whole.length <= SEGMENT_MAX) return whole
  const room = SEGMENT_MAX - 1 - HASH_HEX
  let prefix = ''
  for (const c of chars) {
    if (prefix.length + c.length > room) break
    prefix += c
  }
  return `${prefix}~${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_HEX)}`
}

/**
 * The folder where mldb writes an experiment's logged media:
 * `<folder of the database file>/artifacts/<experiment>/`.
 *
 * @example artifactDir('/data/mldb.db', 'run-1') // '/data/artifacts/run-1'
 */
export function artifactDir(dbPath: string, exp: string): string {
  return join(dirname(dbPath), 'artifacts', segment(checkExpName(exp)))
}

function checkMediaName(name: unknown): string[] {
  const n = checkSeriesName(name)
  const parts = n.split('/')
  if (parts.some((p) => p.trim() === ''))
    throw new ValidationError(`media name "${n}" has an empty part between slashes; use names such as "samples/valid"`, 'name')
  return parts.map(segment)
}

/**
 * Runs `read` over a caller's table, histogram or image. What it throws other
 * than an MldbError (a getter that throws, a BigInt or a cycle that JSON cannot
 * write) comes from the input, so it is a ValidationError naming it, not a bare
 * TypeError (issue 8 item 5); nothing has been written yet.
 */
function readInput<T>(method: string, what: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof MldbError) throw e
    throw new ValidationError(`${method}: the ${what} cannot be read: ${describeError(e)}`, what)
  }
}

/** Writes bytes to a new file `<step>.<ext>` (`<step>_2.<ext>`... when one exists) under the media folder. */
function writeMedia(db: Database, exp: string, name: string, step: number, ext: string, bytes: Uint8Array | string): string {
  const folder = join(artifactDir(db.path, exp), 'media', ...checkMediaName(name))
  mkdirSync(folder, { recursive: true })
  let path = join(folder, `${step}.${ext}`)
  for (let i = 2; existsSync(path); i++) path = join(folder, `${step}_${i}.${ext}`)
  writeFileSync(path, bytes, { flag: 'wx' })
  return path
}

/** Records a file writeMedia wrote; a refused record (read-only, closed, busy) leaves no file behind. */
function recordMedia(db: Database, exp: string, path: string, options: AddFileOptions): FileRecord {
  try {
    return db.addFile(exp, path, options)
  } catch (e) {
    rmSync(path, { force: true })
    throw e
  }
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/**
 * Encodes 8-bit pixels as a PNG (no filter, deflate), with no dependency.
 *
 * @example encodePng({ width: 2, height: 1, data: [0, 255] }) // a 2×1 grey PNG
 */
export function encodePng(image: RawImage): Buffer {
  const { width, height } = image
  const channels = image.channels ?? 1
  if (!Number.isSafeInteger(width) || width < 1 || !Number.isSafeInteger(height) || height < 1 || ![1, 3, 4].includes(channels)) {
    throw new ValidationError(`raw image needs integer width, height >= 1 and channels 1, 3 or 4, got ${describe({ width, height, channels })}`, 'image')
  }
  const data = image.data
  if (data.length !== width * height * channels) {
    throw new ValidationError(`raw image of ${width}×${height}×${channels} needs ${width * height * channels} values, got ${data.length}`, 'image')
  }
  const row = width * channels
  const raw = Buffer.alloc((row + 1) * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < row; x++) {
      const v = data[y * row + x] ?? 0
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new ValidationError(`raw image values must be integers 0..255, got ${describe(v)}`, 'image')
      raw[y * (row + 1) + 1 + x] = v
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = channels === 1 ? 0 : channels === 3 ? 2 : 6
  return Buffer.concat([PNG_MAGIC, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** `{ format, width, height }` of PNG or JPEG bytes, or undefined for anything else. */
export function imageInfo(bytes: Uint8Array): { format: 'png' | 'jpeg'; width?: number; height?: number } | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_MAGIC)) return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // Walk the markers to the first start-of-frame, which holds the size.
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) break
      const marker = b[i + 1] ?? 0
      const len = b.readUInt16BE(i + 2)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) }
      }
      i += 2 + len
    }
    return { format: 'jpeg' }
  }
  return undefined
}

/** @internal `db.logImage`: see there. */
export function logImage(db: Database, exp: string, name: string, step: number, image: ImageInput): FileRecord {
  checkExpName(exp)
  checkMediaName(name)
  checkStep(step)
  const bytes = readInput('logImage', 'image', () => imageBytes(image))
  const info = imageInfo(bytes)
  if (!info) throw new ValidationError(`logImage: ${typeof image === 'string' ? image : 'the bytes'} are not a PNG or JPEG image`, 'image')
  const path = writeMedia(db, exp, name, step, info.format === 'png' ? 'png' : 'jpg', bytes)
  return recordMedia(db, exp, path, { kind: 'image', step, meta: { media: 'image', name, ...info } })
}

/** The bytes of what logImage takes: a file's, the caller's, or raw pixels encoded as PNG. */
function imageBytes(image: ImageInput): Uint8Array {
  let bytes: Uint8Array
  if (typeof image === 'string') {
    try {
      bytes = readFileSync(image)
    } catch {
      throw new ValidationError(`logImage: cannot read image file ${image}; give PNG/JPEG bytes or the path of an existing file`, 'image')
    }
  } else if (image instanceof Uint8Array) {
    bytes = image
  } else if (typeof image === 'object' && image !== null && 'data' in image) {
    bytes = encodePng(image)
  } else {
    throw new ValidationError(`logImage takes PNG/JPEG bytes, a path or { width, height, data }, got ${describe(image)}`, 'image')
  }
  return bytes
}

function csvCell(v: Json): string {
  const s = v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** @internal `db.logTable`: see there. */
export function logTable(db: Database, exp: string, name: string, step: number, table: TableInput, options: { format?: 'json' | 'csv' } = {}): FileRecord {
  checkExpName(exp)
  checkMediaName(name)
  checkStep(step)
  const format = options.format ?? 'json'
  if (format !== 'json' && format !== 'csv') throw new ValidationError(`logTable format must be "json" or "csv", got ${describe(format)}`, 'format')
  const { text, columns, rows } = readInput('logTable', 'table', () => tableText(table, format))
  const path = writeMedia(db, exp, name, step, format, text)
  return recordMedia(db, exp, path, { kind: 'data', step, meta: { media: 'table', name, format, columns: columns.length, rows: rows.length } })
}

/** A table as the text of its file, with its columns and rows. */
function tableText(table: TableInput, format: 'json' | 'csv'): { text: string; columns: string[]; rows: Json[][] } {
  let columns: string[]
  let rows: Json[][]
  if (Array.isArray(table)) {
    const objs = table as readonly Record<string, Json>[]
    if (objs.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw new ValidationError('logTable rows must be objects such as { label: "cat", score: 0.9 }', 'table')
    }
    columns = [...new Set(objs.flatMap((r) => Object.keys(r)))]
    rows = objs.map((r) => columns.map((c) => r[c] ?? null))
  } else if (typeof table === 'object' && table !== null && Array.isArray((table as { columns?: unknown }).columns)) {
    const t = table as { columns: readonly string[]; rows: readonly (readonly Json[])[] }
    columns = [...t.columns]
    if (!Array.isArray(t.rows) || t.rows.some((r) => !Array.isArray(r) || r.length !== columns.length)) {
      throw new ValidationError(`logTable rows must be arrays of ${columns.length} values, one per column`, 'table')
    }
    rows = t.rows.map((r) => [...r])
  } else {
    throw new ValidationError(`logTable takes rows as objects or { columns, rows }, got ${describe(table)}`, 'table')
  }
  const text = format === 'json' ? JSON.stringify({ columns, rows }) : `${[columns, ...rows].map((r) => r.map((v) => csvCell(v)).join(',')).join('\n')}\n`
  return { text, columns, rows }
}

/** Edges and counts of `values` in `bins` equal buckets from their min to max (NaN and ±Infinity left out). */
export function histogram(values: readonly number[], bins = 64): { edges: number[]; counts: number[] } {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v))
  if (finite.length === 0) return { edges: [], counts: [] }
  let lo = finite[0] as number
  let hi = lo
  for (const v of finite) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === hi) {
    lo -= 0.5
    hi += 0.5
  }
  const width = (hi - lo) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width))
  const counts = new Array<number>(bins).fill(0)
  for (const v of finite) {
    const i = Math.min(bins - 1, Math.floor((v - lo) / width))
    counts[i] = (counts[i] ?? 0) + 1
  }
  return { edges, counts }
}

/** @internal `db.logHistogram`: see there. */
export function logHistogram(db: Database, exp: string, name: string, step: number, input: HistogramInput, options: { bins?: number } = {}): FileRecord {
  checkExpName(exp)
  checkMediaName(name)
  checkStep(step)
  const bins = options.bins ?? 64
  if (!Number.isSafeInteger(bins) || bins < 1 || bins > 10_000)
    throw new ValidationError(`logHistogram bins must be an integer 1..10000, got ${describe(bins)}`, 'bins')
  const h = readInput('logHistogram', 'histogram', () => histogramOf(input, bins))
  const path = writeMedia(db, exp, name, step, 'json', JSON.stringify(h))
  const total = h.counts.reduce((a, b) => a + b, 0)
  const meta: Record<string, Json> = { media: 'histogram', name, bins: h.counts.length, total }
  if (h.edges.length > 0) Object.assign(meta, { min: h.edges[0] as number, max: h.edges.at(-1) as number })
  return recordMedia(db, exp, path, { kind: 'data', step, meta })
}

/** Edges and counts of what logHistogram takes: raw values binned here, or the caller's buckets checked. */
function histogramOf(input: HistogramInput, bins: number): { edges: number[]; counts: number[] } {
  let h: { edges: number[]; counts: number[] }
  if (Array.isArray(input)) {
    if (input.some((v) => typeof v !== 'number')) throw new ValidationError('logHistogram values must be numbers', 'values')
    h = histogram(input, bins)
  } else if (typeof input === 'object' && input !== null && Array.isArray((input as { edges?: unknown }).edges)) {
    const { edges, counts } = input as { edges: readonly number[]; counts: readonly number[] }
    const ok =
      Array.isArray(counts) &&
      edges.length === counts.length + 1 &&
      edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > (edges[i - 1] ?? e))) &&
      counts.every((c) => Number.isFinite(c) && c >= 0)
    if (!ok)
      throw new ValidationError('logHistogram takes increasing finite edges and one count >= 0 per bucket (edges.length = counts.length + 1)', 'histogram')
    h = { edges: [...edges], counts: [...counts] }
  } else {
    throw new ValidationError(`logHistogram takes numbers or { edges, counts }, got ${describe(input)}`, 'histogram')
  }
  return h
}
