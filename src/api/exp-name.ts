import { checkExpName } from './validate.js'

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The seed's experiment names: local time as `YYYYMMDD_HHMMSS_<prefix>`.
 *
 * @example
 * expName('TestModel') // '20260803_091702_TestModel'
 */
export function expName(prefix: string, date: Date = new Date()): string {
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  return checkExpName(`${stamp}_${prefix}`)
}
