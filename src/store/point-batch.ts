import { BLOCK_SIZE, type NewPoint } from './points.js'

/**
 * The pure arithmetic of a batch of points, shared by the writers of both
 * backends (PostgreSQL's pg-points.ts and SQLite's PointWriter in points.ts):
 * what the batch adds to its series' summary, and how points past
 * blocked_until are cut into downsampling blocks.
 */

/** What a batch adds to its series' summary. NaN counts in `nan`, never in min/max. */
export interface BatchSummary {
  /** the point with the least step (the first logged of equal steps) */
  first: NewPoint
  /** the point with the greatest step (the last logged of equal steps) */
  last: NewPoint
  /** undefined when every value is NaN */
  min: number | undefined
  max: number | undefined
  nan: number
}

/** The summary of a non-empty batch. @example batchSummary([{ step: 0, time: 0, value: 1 }]).max // 1 */
export function batchSummary(points: readonly NewPoint[]): BatchSummary {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let nan = 0
  let first = points[0] as NewPoint
  let last = first
  for (const p of points) {
    if (Number.isNaN(p.value)) nan++
    else {
      if (p.value < min) min = p.value
      if (p.value > max) max = p.value
    }
    if (p.step < first.step) first = p
    if (p.step >= last.step) last = p
  }
  const any = nan < points.length
  return { first, last, min: any ? min : undefined, max: any ? max : undefined, nan }
}

/** One closed block of point_blocks. */
export interface Block {
  firstStep: number
  lastStep: number
  count: number
  /** undefined when every value is NaN */
  min: number | undefined
  max: number | undefined
  /** the block's last point (NaN kept as NaN: the writer decides how to store it) */
  lastValue: number
  lastTime: number
  nan: number
}

/**
 * Cuts points (all past blocked_until, in table order: by step, then seq) into
 * blocks of at least BLOCK_SIZE that never split a step, so "step <=
 * blocked_until" tells exactly which points a block holds. `lastClosed` is the
 * new blocked_until (undefined: no block closed) and `rest` the points left past it.
 *
 * @example cutBlocks(points).blocks.length // floor(points.length / 64) without duplicate steps
 */
export function cutBlocks(points: readonly NewPoint[]): { blocks: Block[]; lastClosed: number | undefined; rest: number } {
  const blocks: Block[] = []
  let start = 0
  let lastClosed: number | undefined
  while (points.length - start >= BLOCK_SIZE) {
    let end = start + BLOCK_SIZE // exclusive
    while (end < points.length && (points[end] as NewPoint).step === (points[end - 1] as NewPoint).step) end++
    const s = batchSummary(points.slice(start, end))
    const lastP = points[end - 1] as NewPoint
    blocks.push({
      firstStep: (points[start] as NewPoint).step,
      lastStep: lastP.step,
      count: end - start,
      min: s.min,
      max: s.max,
      lastValue: lastP.value,
      lastTime: lastP.time,
      nan: s.nan,
    })
    lastClosed = lastP.step
    start = end
  }
  return { blocks, lastClosed, rest: points.length - start }
}
