import { ValidationError } from '../errors.js'
import { checkExpName, describe } from './validate.js'

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The seed's experiment names: local time as `YYYYMMDD_HHMMSS_<prefix>`.
 *
 * @example
 * expName('TestModel') // '20260803_091702_TestModel'
 */
export function expName(prefix: string, date: Date = new Date()): string {
  if (typeof prefix !== 'string') throw new ValidationError(`expName takes a prefix string such as 'TestModel', got ${describe(prefix)}`, 'prefix')
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new ValidationError(`expName takes a valid Date, got ${describe(date)}`, 'date')
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  return checkExpName(`${stamp}_${prefix}`)
}

/**
 * `base` if no experiment has that name, else `base_2`, `base_3`, ...: how a run
 * started without a name gets a unique one. Called inside the write transaction
 * that inserts it, so processes starting in the same second cannot both take one.
 *
 * @example firstFreeName('20260803_091702_run', (n) => n === '20260803_091702_run') // '20260803_091702_run_2'
 */
export function firstFreeName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base
  for (let i = 2; ; i++) {
    const name = checkExpName(`${base}_${i}`)
    if (!taken(name)) return name
  }
}
