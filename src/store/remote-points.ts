import { checkSeriesName, checkSplit, checkStep, checkValue } from '../api/validate.js'
import { ValidationError } from '../errors.js'
import type { NewPoint } from './points.js'
import type { RemotePoint } from './store.js'

/** The points of one series in a batch. */
export interface PointGroup {
  name: string
  split: string
  points: NewPoint[]
}

/**
 * Checks every point of a batch (the same rules as Database.logBatch) and
 * groups them by series, before anything is written: one bad point refuses the batch.
 *
 * @example groupPoints([{ name: 'loss', split: 'train', step: 0, value: 0.9, time: Date.now() }])
 */
export function groupPoints(points: readonly RemotePoint[]): Map<string, PointGroup> {
  if (!Array.isArray(points)) throw new ValidationError('points must be an array', 'points')
  const groups = new Map<string, PointGroup>()
  for (const p of points) {
    const name = checkSeriesName(p?.name)
    const split = checkSplit(p.split)
    const step = checkStep(p.step)
    const value = checkValue(name, p.value)
    if (typeof p.time !== 'number' || !Number.isFinite(p.time))
      throw new ValidationError(`time of "${name}" must be ms since 1970, got ${String(p.time)}`, 'time')
    const key = `${name}\u0000${split}`
    let g = groups.get(key)
    if (!g) {
      g = { name, split, points: [] }
      groups.set(key, g)
    }
    g.points.push({ step, time: Math.trunc(p.time), value })
  }
  return groups
}
